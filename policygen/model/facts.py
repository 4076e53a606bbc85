"""What a build knows about the organization besides its files, as typed values.

The generator writes these into the manifest; the linter and the access engine read them back
(from the manifest, or from an organization file built in memory) to hold the policies to what
was declared. One writer (`generate.facts`), one reader (`from_dict`, used by `ingest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Mapping


@dataclass(frozen=True)
class DeclaredAccess:
    """One access path the organization file declares: principal, resource, level, and the line it came from."""

    principal: str  # role ARN
    principal_account: str  # account name
    target_kind: str  # bucket, key, repository, model-package-group, role, event-bus
    target: str  # resource ARN
    target_account: str
    level: str  # read, write, admin, assume, put-events
    via: str | None = None  # "s3": the key is used by S3 on the principal's behalf
    source_line: int | None = None

    def to_dict(self) -> dict:
        out = {"principal": self.principal, "principal_account": self.principal_account, "target_kind": self.target_kind,
               "target": self.target, "target_account": self.target_account, "level": self.level}
        if self.via:
            out["via"] = self.via
        out["source_line"] = self.source_line
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DeclaredAccess:
        return cls(principal=str(data["principal"]), principal_account=str(data["principal_account"]),
                   target_kind=str(data["target_kind"]), target=str(data["target"]),
                   target_account=str(data["target_account"]), level=str(data["level"]),
                   via=data.get("via") or None, source_line=_int_or_none(data.get("source_line")))


@dataclass(frozen=True)
class ResourceFacts:
    """What the organization file (or a template) says about the resource a policy guards."""

    arn: str | None = None
    key: str | None = None  # a bucket's KMS key ARN
    aliases: tuple[str, ...] = ()  # a key's alias ARNs
    vpc_only: bool | None = None  # None: not declared (only buckets and keys have the option)
    admins: tuple[str, ...] | None = None  # a key's administrator role ARNs; None: not declared
    # Read from templates only (builds hold neither, so the manifest does not carry them):
    targets: tuple[str, ...] = ()  # an RCP's TargetIds (OU or account, by name or id); () means the root
    endpoint_id: str | None = None  # a VPC endpoint's id (Metadata.policygen.id)
    service: str | None = None  # a VPC endpoint's ServiceName (com.amazonaws.<region>.<service>)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {}
        if self.arn is not None:
            out["arn"] = self.arn
        if self.key is not None:
            out["key"] = self.key
        if self.aliases:
            out["aliases"] = list(self.aliases)
        if self.vpc_only is not None:
            out["vpc_only"] = self.vpc_only
        if self.admins is not None:
            out["admins"] = list(self.admins)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ResourceFacts:
        data = data or {}
        admins = data.get("admins")
        return cls(arn=_str_or_none(data.get("arn")), key=_str_or_none(data.get("key")),
                   aliases=tuple(str(a) for a in data.get("aliases") or ()),
                   vpc_only=bool(data["vpc_only"]) if "vpc_only" in data else None,
                   admins=tuple(str(a) for a in admins) if admins is not None else None)

    def filled(self, **defaults: Any) -> ResourceFacts:
        """These facts, with the given values where nothing is known yet (templates fill what they can)."""
        missing = {k: v for k, v in defaults.items() if v is not None and getattr(self, k) in (None, (), False)}
        return replace(self, **missing) if missing else self


@dataclass(frozen=True)
class OrgFacts:
    """The organization's shape: accounts, OUs, networks, SCP targets, and every declared access."""

    id: str | None = None
    home_region: str | None = None
    management_account: str | None = None
    accounts: Mapping[str, str] = field(default_factory=dict)  # name -> id
    ous: Mapping[str, str] = field(default_factory=dict)  # name -> ou id
    account_ous: Mapping[str, str] = field(default_factory=dict)  # account name -> OU name
    endpoints: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # account -> service -> vpce id
    scp_targets: tuple[str, ...] = ()
    root: str | None = None  # r-...: written only when the organization file gives it
    ou_parents: Mapping[str, str] = field(default_factory=dict)  # OU name -> parent OU name (nested OUs only)
    # None: nothing was declared (templates without an organization file), so nothing is undeclared.
    accesses: tuple[DeclaredAccess, ...] | None = None
    source: str | None = None  # the organization file, as the user named it

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "id": self.id, "home_region": self.home_region, "management_account": self.management_account,
            "accounts": dict(self.accounts), "ous": dict(self.ous), "account_ous": dict(self.account_ous),
            "endpoints": {name: dict(e) for name, e in self.endpoints.items()}, "scp_targets": list(self.scp_targets),
        }
        # Written only when given, so that builds of files without them stay as they were.
        if self.root:
            out["root"] = self.root
        if self.ou_parents:
            out["ou_parents"] = dict(self.ou_parents)
        if self.accesses is not None:
            out["accesses"] = [a.to_dict() for a in self.accesses]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, source: str | None = None) -> OrgFacts:
        data = data or {}
        accesses = data.get("accesses")
        return cls(
            id=_str_or_none(data.get("id")), home_region=_str_or_none(data.get("home_region")),
            management_account=_str_or_none(data.get("management_account")),
            accounts={str(k): str(v) for k, v in (data.get("accounts") or {}).items()},
            ous={str(k): str(v) for k, v in (data.get("ous") or {}).items()},
            account_ous={str(k): str(v) for k, v in (data.get("account_ous") or {}).items()},
            endpoints={str(k): {str(s): str(e) for s, e in (v or {}).items()} for k, v in (data.get("endpoints") or {}).items()},
            scp_targets=tuple(str(t) for t in data.get("scp_targets") or ()),
            root=_str_or_none(data.get("root")),
            ou_parents={str(k): str(v) for k, v in (data.get("ou_parents") or {}).items()},
            accesses=tuple(DeclaredAccess.from_dict(a) for a in accesses) if accesses is not None else None,
            source=source,
        )

    @property
    def known(self) -> bool:
        return bool(self.id or self.accounts)

    def merged(self, other: OrgFacts) -> OrgFacts:
        """Facts of two inputs read together (two builds, or templates that each know their own account):
        mappings and lists are united, the later input winning per key; other known values replace."""
        given: dict[str, Any] = {}
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if theirs in (None, {}, ()):
                continue
            if isinstance(theirs, Mapping) and isinstance(mine, Mapping):
                given[f.name] = {**mine, **theirs}
            elif isinstance(theirs, tuple) and isinstance(mine, tuple):
                given[f.name] = tuple(dict.fromkeys((*mine, *theirs)))
            else:
                given[f.name] = theirs
        return replace(self, **given)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
