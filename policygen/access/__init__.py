"""ARNs and, later, policy evaluation and the cross-account access graph."""
