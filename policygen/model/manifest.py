"""manifest.json as a typed value: what a build holds, where each file came from, and what was declared.

Written once (`generate.writer`), read once (`ingest.build_dir`). The `format` field versions the
layout; a reader meeting another version refuses it rather than guessing (`ManifestFormatError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from policygen.model.facts import OrgFacts, ResourceFacts

# 2: `source` is the organization file's path relative to the build folder (1 had its base name only).
FORMAT = 2
GENERATOR_PREFIX = "policygen "


class ManifestFormatError(ValueError):
    """The data is not a policygen manifest of the format this version reads."""


@dataclass(frozen=True)
class ManifestStatement:
    sid: str
    source_line: int | None
    reason: str | None = None

    def to_dict(self) -> dict:
        return {"sid": self.sid, "source_line": self.source_line, **({"reason": self.reason} if self.reason else {})}


@dataclass(frozen=True)
class ManifestEntry:
    path: str  # relative to the build folder, POSIX separators
    kind: str
    account: str | None
    account_id: str | None
    name: str
    sha256: str
    source_line: int | None
    declared: ResourceFacts | None = None
    statements: tuple[ManifestStatement, ...] = ()

    def to_dict(self) -> dict:
        entry: dict[str, Any] = {"path": self.path, "kind": self.kind, "account": self.account, "account_id": self.account_id,
                                 "name": self.name, "sha256": self.sha256, "source_line": self.source_line}
        declared = self.declared.to_dict() if self.declared else {}
        if declared:
            entry["declared"] = declared
        if self.statements:
            entry["statements"] = [s.to_dict() for s in self.statements]
        return entry

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ManifestEntry:
        if not isinstance(data, Mapping) or not isinstance(data.get("kind"), str):
            raise ManifestFormatError("an artifact entry needs a 'kind'")
        statements = data.get("statements") or []
        if not isinstance(statements, list):
            raise ManifestFormatError("an artifact's 'statements' must be a list")
        return cls(
            # A path that is not text is kept empty: the reader reports it (PG006) and reads nothing.
            path=data["path"] if isinstance(data.get("path"), str) else "", kind=data["kind"], account=_opt_str(data.get("account")),
            account_id=_opt_str(data.get("account_id")), name=str(data.get("name") or ""),
            sha256=str(data.get("sha256") or ""), source_line=_opt_int(data.get("source_line")),
            declared=ResourceFacts.from_dict(data["declared"]) if isinstance(data.get("declared"), Mapping) else None,
            statements=tuple(ManifestStatement(str(s.get("sid") or ""), _opt_int(s.get("source_line")), s.get("reason"))
                             for s in statements if isinstance(s, Mapping)),
        )


@dataclass(frozen=True)
class Manifest:
    generator: str  # "policygen <version>"
    source: str  # the organization file, as the user named it
    source_sha256: str
    organization: OrgFacts | None
    artifacts: tuple[ManifestEntry, ...]
    format: int = FORMAT
    # Per generated role: the actions granted, used by a workflow call, and granted with a written reason.
    coverage: tuple[Mapping[str, Any], ...] | None = None

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"format": self.format, "generator": self.generator, "source": self.source,
                                "source_sha256": self.source_sha256}
        if self.organization is not None:
            data["organization"] = self.organization.to_dict()
        data["artifacts"] = [a.to_dict() for a in self.artifacts]
        if self.coverage is not None:
            data["coverage"] = [dict(row) for row in self.coverage]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Manifest:
        if not isinstance(data, Mapping) or not str(data.get("generator", "")).startswith(GENERATOR_PREFIX):
            raise ManifestFormatError("not a policygen manifest (no 'generator: policygen ...')")
        if data.get("format") != FORMAT:
            raise ManifestFormatError(f"manifest format {data.get('format')!r}; this policygen reads format {FORMAT}: "
                                      f"rebuild with this version")
        artifacts = data.get("artifacts")
        if not isinstance(artifacts, list):
            raise ManifestFormatError("'artifacts' must be a list")
        source = str(data.get("source") or "organization file")
        organization = data.get("organization")
        return cls(generator=str(data["generator"]), source=source, source_sha256=str(data.get("source_sha256") or ""),
                   organization=OrgFacts.from_dict(organization, source) if isinstance(organization, Mapping) else None,
                   artifacts=tuple(ManifestEntry.from_dict(a) for a in artifacts),
                   coverage=tuple(data["coverage"]) if isinstance(data.get("coverage"), list) else None)


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _opt_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
