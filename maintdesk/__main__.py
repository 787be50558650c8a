from maintdesk.cli import main

raise SystemExit(main())
