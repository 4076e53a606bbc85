"""Command line: a thin Click group; each command lives in its own module and returns an exit code."""
