"""What every section's resolver shares: the validated file, its marks, and the problems found so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from policygen.errors import Problem
from policygen.loader.diagnose import suggest
from policygen.loader.schema import OrgFile
from policygen.model.org import RoleRef
from policygen.model.span import Span
from policygen.parse.marked import Marked, Path


@dataclass
class Context:
    spec: OrgFile
    m: Marked
    problems: list[Problem] = field(default_factory=list)
    pending_roles: list[tuple[RoleRef, Path]] = field(default_factory=list)  # checked once every section is read

    def fail(self, message: str, path: Path) -> None:
        self.problems.append(Problem(message, self.m.span(path)))

    def ref(self, value: str, known, what: str, path: Path) -> bool:
        if value in known:
            return True
        listing = ", ".join(sorted(known)) or "none"
        self.fail(f"unknown {what} '{value}'{suggest(value, known)} (known {what}s: {listing})", path)
        return False

    def refs(self, values, known, what: str, path: Path) -> None:
        for i, value in enumerate(values):
            self.ref(value, known, what, path + (i,))

    def entity_span(self, path: Path) -> Span:
        return self.m.key_span(path)

    def role_ref(self, text: str, path: Path) -> RoleRef:
        account, _, name = text.split("/", 2)
        ref = RoleRef(account, name)
        self.pending_roles.append((ref, path))
        return ref
