import RelanceCommands

IngestTool.main()
