"""Guardrails, extra roles and grants, and the role references that need the generated role names."""

from __future__ import annotations

from policygen.loader.diagnose import suggest
from policygen.loader.resolve_context import Context
from policygen.model import names
from policygen.model.org import Grant, Guardrails, Org, ResourceRef, Role


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


def check_role_refs(c: Context, org: Org) -> None:
    generated = generated_roles(org)
    for role in org.roles.values():
        if (role.account, role.name) in generated:
            c.fail(f"role '{role.name}' in {role.account} clashes with a role policygen generates", ("roles", role.name))
    known = generated | {(r.account, r.name) for r in org.roles.values()}
    for ref, path in c.pending_roles:
        if ref.account not in org.accounts:
            c.ref(ref.account, org.accounts, "account", path)
        elif (ref.account, ref.name) not in known:
            here = sorted(n for a, n in known if a == ref.account)
            c.fail(f"unknown role '{ref}'{suggest(ref.name, here)} (roles in {ref.account}: {', '.join(here) or 'none'})", path)


def generated_roles(org: Org) -> set[tuple[str, str]]:
    """(account, role name) of every role policygen generates for this organization."""
    out = {(t.account, names.team_role(t.name)) for t in org.teams.values()}
    if org.studio:
        out.add((org.studio.account, names.STUDIO_PRESIGNED_URL_ROLE))
    if org.deployment:
        out |= {(t, names.MODEL_EXECUTION_ROLE) for t in org.deployment.targets}
        if org.deployment.permission_model == "self-managed":
            out.add((org.deployment.stackset_admin, names.STACKSET_ADMIN_ROLE))
            out |= {(t, names.STACKSET_EXECUTION_ROLE) for t in org.deployment.targets}
    if org.model_registry:
        r = org.model_registry
        if r.pattern == "push":
            out.add((r.hub, names.REGISTRY_ROLE))
            out |= {(s, names.REGISTRY_PUBLISHER_ROLE) for s in r.spokes}
        else:
            out.add((r.hub, names.REGISTRY_SYNC_ROLE))
            out |= {(s, names.REGISTRY_FORWARDER_ROLE) for s in r.spokes}
    return out
