"""Organization model in, artifacts out. One module per resource kind."""
