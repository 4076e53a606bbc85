"""Hub-and-spoke model registry (seed 001), push and pull patterns."""

from __future__ import annotations

from policygen.generate.arns import Arns
from policygen.generate.plan.model import Access, Plan, RoleSpec, Target
from policygen.model import names
from policygen.model.org import Org


def plan_registry(org: Org, arns: Arns, plan: Plan) -> None:
    r = org.model_registry
    if r is None:
        return
    bucket = Target("bucket", r.hub, r.artifacts_bucket)
    images = Target("repository", org.repositories[r.images].account, r.images)
    if r.pattern == "push":
        _push(org, arns, plan, bucket, images)
    else:
        _pull(org, arns, plan, bucket, images)


def _push(org: Org, arns: Arns, plan: Plan, bucket: Target, images: Target) -> None:
    r = org.model_registry
    publishers = {}
    for spoke in r.spokes:
        publishers[spoke] = plan.add_role(RoleSpec(
            account=spoke, name=names.REGISTRY_PUBLISHER_ROLE,
            description=f"Publishes models from {spoke} to the hub registry in {r.hub} by assuming its registry role",
            source=r.span, trusted_services=(arns.service("lambda"),),
        ))
    hub_role = plan.add_role(RoleSpec(
        account=r.hub, name=names.REGISTRY_ROLE,
        description="Hub registry role: creates model packages in the hub groups and writes the hub artifacts bucket",
        source=r.span, trusted_roles=tuple(p.ref for p in publishers.values()),
    ))
    plan.grant(Access(hub_role.ref, bucket, "write", r.span, "the hub registry stores model artifacts"))
    for group in r.groups.values():
        plan.grant(Access(hub_role.ref, Target("model-package-group", r.hub, group.name), "write", group.span,
                          f"spokes publish {group.name} through the hub role"))
        for spoke in group.spokes:
            plan.grant(Access(publishers[spoke].ref, Target("model-package-group", r.hub, group.name), "read",
                              group.span, f"{spoke} reads the hub's {group.name} group"))
    # Push only: a publisher describes its groups and assumes the hub role, which does the writing. It never
    # reads the hub bucket, decrypts with the hub key or pulls hub images (the pull side of seed 001).
    for spoke, publisher in publishers.items():
        plan.grant(Access(publisher.ref, Target("role", r.hub, names.REGISTRY_ROLE), "assume", r.span,
                          f"{spoke} pushes to the hub registry"))


def _pull(org: Org, arns: Arns, plan: Plan, bucket: Target, images: Target) -> None:
    r = org.model_registry
    sync = plan.add_role(RoleSpec(
        account=r.hub, name=names.REGISTRY_SYNC_ROLE,
        description="Hub sync role: reads spoke model package groups and copies packages into the hub registry",
        source=r.span, trusted_services=(arns.service("lambda"),),
    ))
    plan.grant(Access(sync.ref, bucket, "write", r.span, "the hub keeps a copy of model artifacts"))
    plan.grant(Access(sync.ref, images, "read", r.span, "the hub reads registry images"))
    for group in r.groups.values():
        plan.grant(Access(sync.ref, Target("model-package-group", r.hub, group.name), "write", group.span,
                          f"the hub copies {group.name} packages into its own group"))
        for spoke in group.spokes:
            plan.grant(Access(sync.ref, Target("model-package-group", spoke, group.name), "read", group.span,
                              f"the hub reads {group.name} in {spoke}"))
    for spoke in r.spokes:
        rule_arn = arns.default_bus_rule(spoke, names.REGISTRY_RULE)
        forwarder = plan.add_role(RoleSpec(
            account=spoke, name=names.REGISTRY_FORWARDER_ROLE,
            description=f"Lets the EventBridge rule in {spoke} forward model package state changes to the hub bus",
            source=r.span, trusted_services=(arns.service("events"),),
            trust_conditions={"StringEquals": {"aws:SourceArn": rule_arn}},
        ))
        plan.grant(Access(forwarder.ref, Target("event-bus", r.hub, names.REGISTRY_BUS), "put-events", r.span,
                          f"{spoke} forwards SageMaker Model Package State Change events"))


def groups_by_account(org: Org) -> dict[str, list[str]]:
    """Where model package groups exist: the hub always, spokes too in the pull pattern."""
    r = org.model_registry
    if r is None:
        return {}
    out: dict[str, set[str]] = {r.hub: set(r.groups)}
    if r.pattern == "pull":
        for group in r.groups.values():
            for spoke in group.spokes:
                out.setdefault(spoke, set()).add(group.name)
    return {a: sorted(g) for a, g in sorted(out.items())}
