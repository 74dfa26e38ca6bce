import RelanceCommands

ReportCommand.main()
