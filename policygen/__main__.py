from policygen.cli.main import main

raise SystemExit(main())
