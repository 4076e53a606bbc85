"""Guardrails, extra roles and grants, and where the file names roles (checked by the planner)."""

from __future__ import annotations

from policygen.loader.resolve_context import Context
from policygen.model.org import Grant, Guardrails, Org, ResourceRef, Role, RoleUse


def guardrails(c: Context) -> Guardrails | None:
    g = c.spec.guardrails
    if g is None:
        return None
    p = ("guardrails",)
    targets = set(c.spec.organization.ous) | set(c.spec.accounts)
    for i, t in enumerate(g.attach_to):
        if not c.ref(t, targets, "OU or account", p + ("attach_to", i)):
            continue
        if t in c.spec.organization.ous and t in c.spec.accounts:
            c.fail(f"'{t}' names both an OU and an account; rename one", p + ("attach_to", i))
        if t == c.spec.organization.management_account:
            c.fail("SCPs never apply to the management account; attach guardrails to OUs or member accounts", p + ("attach_to", i))
    flags = ("require_vpc_for_sagemaker_jobs", "require_volume_encryption", "deny_regions_outside_allowed",
             "studio_access_from", "break_glass_roles")
    spans = {f: c.m.key_span(p + (f,)) for f in flags if p + (f,) in c.m.keys}
    return Guardrails(tuple(g.attach_to), g.require_vpc_for_sagemaker_jobs, g.require_volume_encryption,
                      g.deny_regions_outside_allowed, tuple(g.studio_access_from), c.entity_span(p), spans,
                      break_glass_roles=tuple(g.break_glass_roles))


def roles(c: Context) -> dict[str, Role]:
    out = {}
    for name, r in c.spec.roles.items():
        p = ("roles", name)
        c.ref(r.account, c.spec.accounts, "account", p + ("account",))
        if not r.trusted_services and not r.trusted_roles:
            c.fail(f"role '{name}' trusts nobody: give trusted_services or trusted_roles", p)
        trusted = tuple(c.role_ref(t, p + ("trusted_roles", i)) for i, t in enumerate(r.trusted_roles))
        out[name] = Role(name, r.account, tuple(sorted(set(r.trusted_services))), trusted, c.entity_span(p))
    return out


def grants(c: Context) -> tuple[Grant, ...]:
    out = []
    for i, g in enumerate(c.spec.grants):
        p = ("grants", i)
        principal = c.role_ref(g.principal, p + ("principal",))
        kind, _, name = g.resource.partition("/")
        known = {
            "bucket": c.spec.buckets,
            "key": c.spec.keys,
            "repository": c.spec.ecr_repositories,
            "model-package-group": c.spec.model_registry.groups if c.spec.model_registry else {},
        }.get(kind)
        if known is None:
            c.fail(f"a grant's resource must be a bucket, key, repository or model-package-group, not '{kind}'", p + ("resource",))
        else:
            c.ref(name, known, kind, p + ("resource",))
        out.append(Grant(principal, ResourceRef(kind, name), g.access, g.why, c.m.span(p)))
    return tuple(out)


def role_uses(c: Context, org: Org) -> tuple[RoleUse, ...]:
    """Every role the file names, with where; the account must exist here, the role in the planner."""
    for ref, path in c.pending_roles:
        c.ref(ref.account, org.accounts, "account", path)
    return tuple(RoleUse(ref, c.m.span(path)) for ref, path in c.pending_roles)
