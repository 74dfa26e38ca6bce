import RelanceCommands

ReportTool.main()
