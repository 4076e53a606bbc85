"""Where something came from in an input file."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Span:
    file: str
    line: int  # 1-based
    column: int = 1  # 1-based
    # Where in the document, as keys (`teams.team1`, `grants[0]`): does not move when unrelated lines do.
    path: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"
