"""RAM uses of the workflow catalogue (seeds 000, 002): consumer accounts use shared feature groups and pipelines.

Two forms. `share_uses` are checked on the build's share objects (the share names the consumer account, the
resource and the level's managed permission). `share_calls` are API calls for the engines: a principal of the
consumer account calls the permission's actions on the shared resource, which the evaluator and iam-simulate
judge against the resource policy the share amounts to (`access.ram_shares`). Denied variants: the same call
from an account the file does not share the resource with, and an action outside the permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from policygen.generate.arns import Arns
from policygen.generate.workflows import Call, catalogue
from policygen.model.org import Org

# The consumer's principal: any role of the consumer account whose own policy allows the call (the account's
# administrators grant that; RAM grants the account). access.workflows gives it an administrator's policy.
RAM_CONSUMER = "policygen-ram-consumer"


@dataclass(frozen=True)
class ShareUse:
    consumer: str  # account name
    resource: str
    level: str
    permission: str
    kind: str  # the ram_uses entry: "feature-group/read-only", ...
    expect: str = "allow"


def _uses(org: Org, arns: Arns) -> list[ShareUse]:
    table = catalogue()["ram_uses"]
    out = []
    fs = org.feature_store
    if fs is not None:
        owner = f"arn:{arns.partition}:sagemaker:{arns.region}:{arns.account_id(fs.owner)}"
        for consumer in fs.discoverable_by:
            out.append(ShareUse(consumer, f"{owner}:sagemaker-catalog/DefaultFeatureGroupCatalog", "catalog",
                                table["feature-catalog"]["permission"], "feature-catalog"))
        for group in fs.feature_groups.values():
            for share in group.shares:
                kind = f"feature-group/{share.level}"
                out.append(ShareUse(share.account, f"{owner}:feature-group/{group.name}", share.level,
                                    table[kind]["permission"], kind))
    for pipeline in org.pipelines.values():
        arn = f"arn:{arns.partition}:sagemaker:{arns.region}:{arns.account_id(pipeline.account)}:pipeline/{pipeline.name}"
        for share in pipeline.shares:
            kind = f"pipeline/{share.level}"
            out.append(ShareUse(share.account, arn, share.level, table[kind]["permission"], kind))
    return out


def _outsider(org: Org, uses: list[ShareUse], use: ShareUse, owner_id: str) -> str | None:
    """An account the file does not share this resource with (the management account first: no SCP applies to
    it, so only the share can refuse it)."""
    sharing = {u.consumer for u in uses if u.resource == use.resource}
    names = [org.organization.management_account] + sorted(org.accounts)
    return next((n for n in names if n not in sharing and org.accounts[n].id != owner_id), None)


def share_uses(org: Org) -> list[ShareUse]:
    """Every declared use, and for each an account the file does not share with (which must get nothing)."""
    arns = Arns(org)
    out = _uses(org, arns)
    for use in list(out):
        outsider = _outsider(org, out, use, use.resource.split(":")[4])
        if outsider is not None:
            out.append(ShareUse(outsider, use.resource, use.level, use.permission, use.kind, expect="deny"))
    return list(dict.fromkeys(out))


def share_use_holds(org: Org, shares: list[dict], use: ShareUse) -> bool:
    """Whether a share of the build names the consumer account, the resource and the level's permission."""
    account_id = org.accounts[use.consumer].id
    granted = any(account_id in s.get("Principals", []) and use.resource in s.get("ResourceArns", [])
                  and any(p.endswith("/" + use.permission) for p in s.get("PermissionArns", []))
                  and s.get("AllowExternalPrincipals") is False for s in shares)
    return granted == (use.expect == "allow")


def consumer_arn(arns: Arns, account: str) -> str:
    return f"arn:{arns.partition}:iam::{arns.account_id(account)}:role/{RAM_CONSUMER}"


def share_calls(org: Org, arns: Arns) -> list[Call]:
    """The engine form of every declared use that has calls: allowed for the consumer, denied for an outsider
    and for an action outside the permission."""
    table = catalogue()["ram_uses"]
    uses = _uses(org, arns)
    out = []
    for use in uses:
        spec = table[use.kind]
        if not spec.get("calls"):
            continue
        rests_on = tuple(spec.get("rests_on", ()))
        workflow = f"ram:{use.kind}"
        principal = consumer_arn(arns, use.consumer)
        outsider = _outsider(org, uses, use, use.resource.split(":")[4])
        for action in spec["calls"]:
            out.append(Call(workflow, principal, action, use.resource, {}, rests_on=rests_on))
            if outsider is not None:
                out.append(Call(workflow, consumer_arn(arns, outsider), action, use.resource, {}, "deny", "not-a-consumer",
                                "an account the file does not share the resource with", rests_on))
        out.append(Call(workflow, principal, spec["outside"], use.resource, {}, "deny", "outside-permission",
                        f"an action {use.permission} does not include", rests_on))
    return out
