"""What the manifest records besides the files: the organization's shape and the declared access paths.

A linter or access engine reading a build directory has no organization file at hand;
these facts let it hold the policies to what was declared (XA rules, `policygen diff`).
"""

from __future__ import annotations

from policygen.generate.arns import Arns
from policygen.generate.plan import Plan
from policygen.generate.plan.model import Target
from policygen.model.facts import DeclaredAccess, OrgFacts, ResourceFacts
from policygen.model.org import Org
from policygen.model.kinds import BUCKET, EVENT_BUS, KEY, MODEL_PACKAGE_GROUP, REPOSITORY


def organization_facts(org: Org, plan: Plan | None = None, source: str | None = None) -> OrgFacts:
    accesses = None
    if plan is not None:
        arns = Arns(org)
        accesses = tuple(sorted(
            (DeclaredAccess(principal=arns.role(a.principal.account, a.principal.name), principal_account=a.principal.account,
                            target_kind=a.target.kind, target=target_arn(arns, org, a.target), target_account=a.target.account,
                            level=a.level, via=a.via or None, source_line=a.source.line)
             for a in plan.accesses),
            key=lambda d: (d.principal, d.target, d.level, d.via or ""),
        ))
    return OrgFacts(
        id=org.organization.id,
        home_region=org.organization.home_region,
        management_account=org.organization.management_account,
        accounts={name: acct.id for name, acct in sorted(org.accounts.items())},
        ous={name: ou.id for name, ou in sorted(org.organization.ous.items())},
        account_ous={name: acct.ou for name, acct in sorted(org.accounts.items()) if acct.ou},
        endpoints={name: dict(sorted(acct.network.endpoints.items()))
                   for name, acct in sorted(org.accounts.items()) if acct.network and acct.network.endpoints},
        scp_targets=tuple(sorted(org.guardrails.attach_to)) if org.guardrails else (),
        # Organization paths (o-id/r-root/ou-parent/ou-child/) need the root id and the OU tree.
        root=org.organization.root,
        ou_parents={name: ou.parent for name, ou in sorted(org.organization.ous.items()) if ou.parent},
        accesses=accesses,
        source=source,
    )


def target_arn(arns: Arns, org: Org, target: Target) -> str:
    kind, account, name = target.kind, target.account, target.name
    if kind == "bucket":
        return arns.bucket(name)
    if kind == "key":
        return str(arns.key(name))
    if kind == "repository":
        return arns.repository(name)
    if kind == "model-package-group":
        return arns.model_package_group(account, name)
    if kind == "role":
        return arns.role(account, name)
    if kind == "event-bus":
        return arns.event_bus(account, name)
    raise ValueError(f"no ARN for target kind {kind}")


def resource_declared(org: Org, arns: Arns, kind: str, name: str, account: str) -> ResourceFacts | None:
    """Per policy artifact: the resource it guards, and what the org file declares about it."""
    if kind == BUCKET and name in org.buckets:
        bucket = org.buckets[name]
        return ResourceFacts(arn=arns.bucket(name), key=str(arns.key(bucket.key)), vpc_only=bucket.vpc_only)
    if kind == KEY and name in org.keys:
        key = org.keys[name]
        return ResourceFacts(arn=str(arns.key(name)), aliases=(arns.key_alias(name),), vpc_only=key.vpc_only,
                             admins=tuple(sorted(arns.role(r.account, r.name) for r in key.admins)))
    if kind == REPOSITORY and name in org.repositories:
        return ResourceFacts(arn=arns.repository(name))
    if kind == MODEL_PACKAGE_GROUP:
        return ResourceFacts(arn=arns.model_package_group(account, name))
    if kind == EVENT_BUS:
        return ResourceFacts(arn=arns.event_bus(account, name))
    return None
