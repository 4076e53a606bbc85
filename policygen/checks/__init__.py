"""Third-party checkers run over generated artifacts (parliament, cfn-lint)."""
