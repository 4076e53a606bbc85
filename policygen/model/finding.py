"""A lint finding: which rule, how bad, what, and where (in the input, and in the org file behind it)."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # info 0 < warning 1 < error 2


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    location: Location
    # For generated artifacts: the organization file line that produced the statement.
    origin: Location | None = None
    # Other places the finding involves (the generated file when reporting against the org file).
    related: tuple[Location, ...] = ()
    # Presentation and baseline data; not part of a finding's identity (two equal findings stay one).
    column: int | None = field(default=None, compare=False)  # when the parser knows it
    fingerprint: str = field(default="", compare=False)  # survives line moves: rule, file, statement content
    baseline_state: str = field(default="", compare=False)  # "new" or "unchanged" when a baseline was given

    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int:
        return self.location.line

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.rule, self.message)

    def at_least(self, threshold: str) -> bool:
        return SEVERITY_RANK[self.severity] >= SEVERITY_RANK[threshold]
