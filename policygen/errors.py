"""One exception hierarchy. The CLI maps each class to an exit code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygen.model.span import Span

# What input must never send to a terminal or a report: C0 and C1 control characters (ESC starts a
# terminal escape sequence, CR rewrites a line, NUL and BEL), bidirectional controls (U+202A-U+202E,
# U+2066-U+2069, the marks U+200E, U+200F, U+061C), line and paragraph separators, and lone
# surrogates (which no encoder can write).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_SHOWN = 50  # problems printed in one error; the rest are counted


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object) -> str:
    """The text with every character that could change what a terminal or reader shows written as an escape."""
    return _UNSAFE.sub(_escape, str(text))


def safe_lines(text: object) -> str:
    """As `safe`, line by line: for multi-line output (tables, graphs) that names what the input said."""
    return "\n".join(safe(line) for line in str(text).split("\n"))


class PolicygenError(Exception):
    """Base of every error policygen raises on purpose."""

    exit_code = 2

    def __str__(self) -> str:
        return safe(super().__str__())


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located in that input."""

    message: str
    span: Span | None = None

    def __str__(self) -> str:
        return safe(f"{self.span}: {self.message}" if self.span else self.message)


class InputError(PolicygenError):
    """The input could not be read or does not follow the format. Exit code 2."""

    def __init__(self, problems: list[Problem] | Problem, more: int = 0):
        """more: problems found beyond those listed (counted, not worded)."""
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.problems.sort(key=lambda p: (p.span.file, p.span.line, p.span.column) if p.span else ("", 0, 0))
        self.unworded = more
        self.more = more + max(0, len(self.problems) - MAX_SHOWN)
        shown = [str(p) for p in self.problems[:MAX_SHOWN]]
        if self.more:
            shown.append(f"... and {self.more:,} more problems")
        super().__init__("\n".join(shown))

    def __str__(self) -> str:
        return self.args[0]  # one line per problem, each already made safe


class BuildError(PolicygenError):
    """The organization is valid but cannot be compiled within AWS limits."""

    def __init__(self, message: str, span: Span | None = None):
        self.problem = Problem(message, span)
        super().__init__(str(self.problem))
