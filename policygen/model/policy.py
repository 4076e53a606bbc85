"""IAM policy documents as policygen builds them: every statement knows why it exists.

A statement carries the span of the organization-file line that caused it, and a
written reason for any wildcard in its actions or resources. Documents normalise
themselves: statements sorted by Sid, values sorted, exact duplicates dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from policygen.model.span import Span

VERSION = "2012-10-17"

# Key order AWS documentation uses; reviewers read policies in this order.
_STATEMENT_KEYS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition")


class WildcardWithoutReason(ValueError):
    """A generator produced '*' without saying why. A bug in policygen, never in the input."""


def _sorted_unique(values) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


def _normalise_principal(principal: Any) -> Any:
    if principal is None or principal == "*":
        return principal
    return {kind: _sorted_unique(ids) for kind, ids in sorted(principal.items())}


def _normalise_condition(condition: dict | None) -> dict | None:
    if not condition:
        return None
    out = {}
    for operator in sorted(condition):
        keys = condition[operator]
        out[operator] = {
            k: (_sorted_unique(v) if isinstance(v, (list, tuple, set)) else v) for k, v in sorted(keys.items())
        }
    return out


def _has_wildcard(values) -> bool:
    return any("*" in v for v in values or ())


@dataclass(frozen=True, eq=False)
class Statement:
    sid: str
    effect: str
    action: tuple[str, ...] = ()
    not_action: tuple[str, ...] = ()
    resource: tuple[str, ...] = ()
    not_resource: tuple[str, ...] = ()
    principal: Any = None  # "*" or {"AWS": (...), "Service": (...)}
    not_principal: Any = None
    condition: dict | None = None
    source: Span | None = None
    reason: str | None = None  # required when an action or resource holds '*'

    def __post_init__(self):
        if not self.sid.isalnum():
            raise ValueError(f"Sid must be alphanumeric: {self.sid!r}")
        if self.effect not in ("Allow", "Deny"):
            raise ValueError(f"Effect must be Allow or Deny: {self.effect!r}")
        object.__setattr__(self, "action", _sorted_unique(self.action))
        object.__setattr__(self, "not_action", _sorted_unique(self.not_action))
        object.__setattr__(self, "resource", _sorted_unique(self.resource))
        object.__setattr__(self, "not_resource", _sorted_unique(self.not_resource))
        object.__setattr__(self, "principal", _normalise_principal(self.principal))
        object.__setattr__(self, "not_principal", _normalise_principal(self.not_principal))
        object.__setattr__(self, "condition", _normalise_condition(self.condition))
        wild = _has_wildcard(self.action) or _has_wildcard(self.resource)
        wild = wild or (self.effect == "Allow" and self.principal == "*")
        if wild and not self.reason:
            raise WildcardWithoutReason(f"statement {self.sid} uses '*' without a reason")

    def to_json(self) -> dict:
        body: dict[str, Any] = {"Sid": self.sid, "Effect": self.effect}
        if self.principal is not None:
            body["Principal"] = _principal_json(self.principal)
        if self.not_principal is not None:
            body["NotPrincipal"] = _principal_json(self.not_principal)
        for key, values in (("Action", self.action), ("NotAction", self.not_action),
                            ("Resource", self.resource), ("NotResource", self.not_resource)):
            if values:
                body[key] = values[0] if len(values) == 1 else list(values)
        if self.condition:
            body["Condition"] = {
                op: {k: (list(v) if isinstance(v, tuple) else v) for k, v in keys.items()}
                for op, keys in self.condition.items()
            }
        return body

    def identity(self) -> str:
        """Everything but provenance: two statements with the same identity are duplicates."""
        return json.dumps(self.to_json(), sort_keys=True)

    def compact_size(self) -> int:
        """The length of to_json() as compact JSON (no whitespace outside strings), which is how IAM and
        Organizations measure a policy. Computed once: a statement never changes, and the quota checks
        and splitting ask for it several times per statement (48,000 times at 1,000 accounts)."""
        size = self.__dict__.get("_compact_size")
        if size is None:
            size = len(json.dumps(self.to_json(), separators=(",", ":"), ensure_ascii=False))
            self.__dict__["_compact_size"] = size  # not a field: replace() and repr() never see it
        return size


def _principal_json(principal: Any) -> Any:
    if principal == "*":
        return "*"
    return {kind: (ids[0] if len(ids) == 1 else list(ids)) for kind, ids in principal.items()}


@dataclass
class PolicyDocument:
    statements: list[Statement] = field(default_factory=list)

    def add(self, statement: Statement) -> None:
        self.statements.append(statement)

    def normalised(self) -> list[Statement]:
        """Sorted by Sid, exact duplicates dropped; two different statements may not share a Sid."""
        by_sid: dict[str, Statement] = {}
        for st in self.statements:
            prior = by_sid.get(st.sid)
            if prior is None:
                by_sid[st.sid] = st
            elif prior.identity() != st.identity():
                raise ValueError(f"two different statements share Sid {st.sid}")
        return [by_sid[sid] for sid in sorted(by_sid)]

    def to_json(self) -> dict:
        return {"Version": VERSION, "Statement": [s.to_json() for s in self.normalised()]}
