"""An output file, as built in memory or read back from a build directory."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from policygen.model.facts import ResourceFacts
from policygen.model.kinds import ARTIFACT_KINDS, IAM_POLICIES
from policygen.model.manifest import ManifestEntry, ManifestStatement

KINDS = tuple(sorted(ARTIFACT_KINDS))
POLICY_KINDS = IAM_POLICIES


@dataclass(frozen=True)
class StatementOrigin:
    sid: str
    line: int | None
    reason: str | None = None


@dataclass
class Artifact:
    path: str  # relative, POSIX separators
    kind: str
    account: str | None
    account_id: str | None
    name: str
    content: bytes
    source_line: int | None
    statements: tuple[StatementOrigin, ...] = ()
    data: Any = field(default=None, repr=False)  # parsed JSON for policies and data files
    # What the organization file declares about the resource this policy guards
    # (vpc_only, key admins), so that a linter reading the build can hold the
    # policy to the declaration without the organization file at hand.
    declared: ResourceFacts | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def manifest_entry(self) -> ManifestEntry:
        return ManifestEntry(path=self.path, kind=self.kind, account=self.account, account_id=self.account_id,
                             name=self.name, sha256=self.sha256, source_line=self.source_line, declared=self.declared,
                             statements=tuple(ManifestStatement(s.sid, s.line, s.reason) for s in self.statements))
