"""The `roles` and `grants` sections: extra roles and explicit extra access."""

from __future__ import annotations

from policygen.generate.arns import Arns
from policygen.generate.plan.model import Access, Plan, RoleSpec, Target
from policygen.model.org import Org


def plan_roles(org: Org, arns: Arns, plan: Plan) -> None:
    for role in org.roles.values():
        plan.add_role(RoleSpec(
            account=role.account, name=role.name,
            description=f"Declared in the organization file (roles.{role.name})",
            source=role.span, trusted_services=role.trusted_services, trusted_roles=role.trusted_roles,
        ))


def plan_role_trust_grants(org: Org, plan: Plan) -> None:
    """A role that trusts another role: the trusted side gets sts:AssumeRole on it."""
    for role in org.roles.values():
        for trusted in role.trusted_roles:
            plan.grant(Access(trusted, Target("role", role.account, role.name), "assume", role.span,
                              f"roles.{role.name} trusts {trusted}"))


def plan_grants(org: Org, plan: Plan) -> None:
    r = org.model_registry
    for g in org.grants:
        kind, name = g.resource.kind, g.resource.name
        if kind == "bucket":
            account = org.buckets[name].account
        elif kind == "key":
            account = org.keys[name].account
        elif kind == "repository":
            account = org.repositories[name].account
        else:  # model-package-group: the hub's copy of the group
            account = r.hub
        plan.grant(Access(g.principal, Target(kind, account, name), g.access, g.span, g.why))
