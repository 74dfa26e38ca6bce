import RelanceCommands

RelanceCommand.main()
