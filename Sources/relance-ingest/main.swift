import RelanceCommands

IngestCommand.main()
