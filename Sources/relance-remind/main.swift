import RelanceCommands

RemindTool.main()
