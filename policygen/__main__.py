from policygen.cli.main import entry

entry()
