"""A policy document as the rules see it: kind, located body, normalised statements, declared intent."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from policygen.parse.located import LDict, line_of
from policygen.policydoc.operators import SET_QUALIFIERS, parse_operator  # noqa: F401  (re-exported for rules)
from policygen.model.facts import ResourceFacts
from policygen.model.finding import Location
from policygen.model.kinds import (  # noqa: F401  (rules import the kinds from here)
    BUCKET, EVENT_BUS, IAM_POLICIES, IDENTITY, KEY, KINDS, MODEL_PACKAGE_GROUP, PRINCIPAL_POLICIES, RCP, REPOSITORY,
    RESOURCE, RESOURCE_POLICIES, SCP, SHARE, TRUST,
)


@dataclass(frozen=True)
class Condition:
    operator: str  # as written: "ForAnyValue:StringLikeIfExists"
    base: str  # "StringLike"
    qualifier: str  # "", "ForAnyValue" or "ForAllValues"
    if_exists: bool
    key: str
    values: tuple
    line: int


def _strings(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


@dataclass
class Statement:
    raw: Any
    index: int
    line: int

    @property
    def ok(self) -> bool:
        return isinstance(self.raw, dict)

    def get(self, key: str, default=None):
        return self.raw.get(key, default) if self.ok else default

    def line_of(self, key: str) -> int:
        return self.raw.line_of(key) if isinstance(self.raw, LDict) else self.line

    @property
    def sid(self) -> str | None:
        sid = self.get("Sid")
        return sid if isinstance(sid, str) else None

    @property
    def effect(self) -> str | None:
        return self.get("Effect")

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @cached_property
    def actions(self) -> list:
        return [a for a in _strings(self.get("Action")) if isinstance(a, str)]

    @cached_property
    def not_actions(self) -> list:
        return [a for a in _strings(self.get("NotAction")) if isinstance(a, str)]

    @cached_property
    def resources(self) -> list:
        return [r for r in _strings(self.get("Resource")) if isinstance(r, str)]

    @cached_property
    def not_resources(self) -> list:
        return [r for r in _strings(self.get("NotResource")) if isinstance(r, str)]

    def _principal(self, key: str) -> dict[str, list] | None:
        value = self.get(key)
        if value is None:
            return None
        if value == "*":
            return {"AWS": [value]}
        if isinstance(value, dict):
            return {str(k): [v for v in _strings(v) if isinstance(v, str)] for k, v in value.items()}
        return {"?": [value] if isinstance(value, str) else []}

    @cached_property
    def principal(self) -> dict[str, list] | None:
        return self._principal("Principal")

    @cached_property
    def not_principal(self) -> dict[str, list] | None:
        return self._principal("NotPrincipal")

    def principal_values(self, kind: str = "AWS") -> list:
        return (self.principal or {}).get(kind, [])

    @property
    def public(self) -> bool:
        """Principal "*" or {"AWS": "*"}: anyone, before conditions."""
        return "*" in self.principal_values("AWS")

    @cached_property
    def conditions(self) -> list[Condition]:
        block = self.get("Condition")
        out: list[Condition] = []
        if not isinstance(block, dict):
            return out
        for operator, keys in block.items():
            base, qualifier, if_exists = parse_operator(str(operator))
            if not isinstance(keys, dict):
                out.append(Condition(str(operator), base, qualifier, if_exists, "", (), line_of(keys, self.line_of("Condition"))))
                continue
            key_lines = getattr(keys, "key_lines", None) or {}
            for key, values in keys.items():
                line = key_lines.get(key) or line_of(values, 0) or self.line_of("Condition")
                out.append(Condition(str(operator), base, qualifier, if_exists, str(key), tuple(_strings(values)), line))
        return out

    def condition_keys(self) -> set[str]:
        return {c.key.lower() for c in self.conditions}


@dataclass
class PolicyDoc:
    kind: str
    body: Any
    location: Location  # where the document starts in the file that holds it
    name: str = ""
    account_id: str | None = None
    # Generated documents: the organization file and the line each statement came from.
    origin_file: str | None = None
    origin_line: int | None = None
    statement_origins: dict = field(default_factory=dict)
    report_at_origin: bool = False  # linting an org file: point at the org file, not the in-memory artifact
    declared: ResourceFacts = field(default_factory=ResourceFacts)  # the guarded resource: ARN, key, vpc_only, admins
    logical_id: str | None = None  # CloudFormation resource
    iam_name: str | None = None  # the policy's name in IAM (ManagedPolicyName), where it differs from `name`
    suppressions: list = field(default_factory=list)
    service: str | None = None  # a resource-policy's service ("sqs"), when the template resource type says

    @cached_property
    def services(self) -> tuple[str, ...]:
        """The service the policy belongs to: as ingested, else the prefixes of its actions, most used first."""
        if self.service:
            return (self.service,)
        counts: dict[str, int] = {}
        for statement in self.statements:
            for action in statement.actions + statement.not_actions:
                if ":" in action:
                    prefix = action.split(":", 1)[0].lower()
                    counts[prefix] = counts.get(prefix, 0) + 1
        return tuple(sorted(counts, key=lambda p: (-counts[p], p)))

    @cached_property
    def statements(self) -> list[Statement]:
        raw = self.body.get("Statement") if isinstance(self.body, dict) else None
        if isinstance(raw, dict):  # a single statement object is legal IAM
            raw = [raw]
        if not isinstance(raw, list):
            return []
        return [Statement(s, i, line_of(s, self.location.line)) for i, s in enumerate(raw)]

    @property
    def statement_line(self) -> int:
        """The line of the Statement element: where a finding about the document as a whole points."""
        if isinstance(self.body, LDict) and "Statement" in self.body:
            return self.body.line_of("Statement")
        return self.location.line

    def size(self) -> int:
        """Characters AWS counts against the quota: the document without whitespace."""
        return len(json.dumps(self.body, separators=(",", ":"), ensure_ascii=False))

    def origin_of(self, statement: Statement | None) -> Location | None:
        if not self.origin_file:
            return None
        line = self.statement_origins.get(statement.sid) if statement is not None and statement.sid else None
        line = line or self.origin_line
        return Location(self.origin_file, line) if line else None
