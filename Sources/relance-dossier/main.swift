import RelanceCommands

DossierTool.main()
