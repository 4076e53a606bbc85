"""One exception hierarchy. The CLI maps each class to an exit code."""

from __future__ import annotations

from dataclasses import dataclass

from policygen.model.span import Span


class PolicygenError(Exception):
    """Base of every error policygen raises on purpose."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located in that input."""

    message: str
    span: Span | None = None

    def __str__(self) -> str:
        return f"{self.span}: {self.message}" if self.span else self.message


class InputError(PolicygenError):
    """The input could not be read or does not follow the format. Exit code 2."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.problems.sort(key=lambda p: (p.span.file, p.span.line, p.span.column) if p.span else ("", 0, 0))
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(PolicygenError):
    """The organization is valid but cannot be compiled within AWS limits."""

    def __init__(self, message: str, span: Span | None = None):
        self.problem = Problem(message, span)
        super().__init__(str(self.problem))
