"""Types of the access plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from policygen.model.org import RoleRef
from policygen.model.policy import Statement
from policygen.model.span import Span


@dataclass(frozen=True, order=True)
class Target:
    """Something a role can be given access to.

    kind: bucket | key | repository | model-package-group | role | event-bus
    account: the owning account; name: the organization name (group, bus or role name).
    """

    kind: str
    account: str
    name: str


@dataclass(frozen=True)
class Access:
    """A declared access path: principal may use target at level, because of source."""

    principal: RoleRef
    target: Target
    level: str  # read | write | admin | assume | put-events
    source: Span
    why: str
    via: str | None = None  # "s3" when a key is used only through S3 on the principal's behalf

    @property
    def cross_account(self) -> bool:
        return self.principal.account != self.target.account


@dataclass
class RoleSpec:
    account: str
    name: str
    description: str
    source: Span
    trusted_services: tuple[str, ...] = ()
    trusted_roles: tuple[RoleRef, ...] = ()
    trust_conditions: dict | None = None  # conditions on the service trust (confused deputy)
    tags: dict[str, str] = field(default_factory=dict)
    extra_statements: list[Statement] = field(default_factory=list)  # beyond declared accesses
    in_stackset: bool = False  # deployed by the model-deployment StackSet, not the account template
    # Name of a managed policy (in the role's account template) that bounds the role: it allows exactly the
    # role's own statements, so whoever may create or change the role cannot give it more.
    permissions_boundary: str | None = None

    @property
    def ref(self) -> RoleRef:
        return RoleRef(self.account, self.name)


@dataclass
class Plan:
    roles: dict[tuple[str, str], RoleSpec] = field(default_factory=dict)
    accesses: list[Access] = field(default_factory=list)
    compact: bool = True  # generators may pick the compact encodings; False: enumerate every account

    def add_role(self, role: RoleSpec) -> RoleSpec:
        key = (role.account, role.name)
        if key in self.roles:
            raise ValueError(f"role {role.name} in {role.account} planned twice")
        self.roles[key] = role
        return role

    def role(self, ref: RoleRef) -> RoleSpec:
        return self.roles[(ref.account, ref.name)]

    def grant(self, access: Access) -> None:
        self.accesses.append(access)
        self.__dict__.pop("_by_principal", None)

    def accesses_to(self, kind: str) -> dict[tuple[str, str], list[Access]]:
        """Accesses to targets of one kind, keyed by (account, name), sorted for determinism."""
        out: dict[tuple[str, str], list[Access]] = {}
        for a in self.accesses:
            if a.target.kind == kind:
                out.setdefault((a.target.account, a.target.name), []).append(a)
        return {k: sorted(v, key=_access_order) for k, v in sorted(out.items())}

    def accesses_of(self, ref: RoleRef) -> list[Access]:
        # indexed once per plan (rebuilt after a grant): asked for every role, so a scan each time is quadratic
        index = self.__dict__.get("_by_principal")
        if index is None:
            index = {}
            for a in self.accesses:
                index.setdefault(a.principal, []).append(a)
            self.__dict__["_by_principal"] = index
        return sorted(index.get(ref, ()), key=_access_order)


def _access_order(a: Access):
    return (a.principal.account, a.principal.name, a.target, a.level, a.via or "")
