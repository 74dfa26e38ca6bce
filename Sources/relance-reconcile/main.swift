import RelanceCommands

ReconcileTool.main()
