from maintdesk.cli.app import main

raise SystemExit(main())
