"""Hypothesis strategies for organization files of varied shape."""

from __future__ import annotations

from hypothesis import strategies as st

ENDPOINT_SERVICES = ("s3", "kms", "sts", "sagemaker-api", "ecr-api", "ecr-dkr")


def account_id(i: int) -> str:
    return f"{100000000000 + i * 7919:012d}"


def vpce(i: int, service: str) -> str:
    return f"vpce-{i:08x}{ENDPOINT_SERVICES.index(service):09x}"


@st.composite
def organizations(draw, min_accounts: int = 1, max_accounts: int = 50) -> dict:
    n = draw(st.integers(min_accounts, max_accounts))
    names = [f"acct{i}" for i in range(n)]
    org: dict = {
        "version": 1,
        "organization": {
            "id": "o-a1b2c3d4e5", "home_region": "eu-west-1", "regions": ["eu-west-1", "eu-central-1"],
            "management_account": "mgmt", "ous": {"ml": "ou-ab12-11111111"},
        },
        "accounts": {"mgmt": {"id": "999999999999", "stage": "management"}},
    }
    for i, name in enumerate(names):
        org["accounts"][name] = {
            "id": account_id(i), "stage": draw(st.sampled_from(["dev", "staging", "prod", "data", "shared-services"])),
            "ou": "ml",
            "network": {"vpc": f"vpc-{i:017x}", "private_cidrs": [f"10.{i % 250}.0.0/24"],
                        "endpoints": {s: vpce(i, s) for s in ENDPOINT_SERVICES}},
        }
    pick = st.sampled_from(names)
    keys, buckets = {}, {}
    for b in range(draw(st.integers(1, 4))):
        owner = draw(pick)
        keys[f"key{b}"] = {"account": owner, "vpc_only": draw(st.booleans())}
        buckets[f"bucket{b}"] = {"name": f"pg-test-bucket-{b}-{owner}", "account": owner, "key": f"key{b}",
                                 "vpc_only": draw(st.booleans()), "versioning": draw(st.booleans())}
    org["keys"], org["buckets"] = keys, buckets
    org["ecr_repositories"] = {"images": {"account": draw(pick)}}
    teams = {}
    for t in range(draw(st.integers(0, max(1, n // 5)))):
        teams[f"team{t}"] = {"account": draw(pick),
                             "read": sorted(draw(st.sets(st.sampled_from(sorted(buckets)), max_size=2))),
                             "write": sorted(draw(st.sets(st.sampled_from(sorted(buckets)), max_size=1)))}
        volume_keys = sorted(draw(st.sets(st.sampled_from(sorted(keys)), max_size=1)))
        if volume_keys:  # a key of its own for volumes, possibly in another account
            teams[f"team{t}"]["volume_keys"] = volume_keys
    org["teams"] = teams
    if n >= 2:
        source = draw(pick)
        models = [b for b, spec in buckets.items() if spec["account"] == source]
        if models:
            org["deployment"] = {
                "source": source, "models_bucket": models[0], "images": "images",
                "targets": sorted(draw(st.sets(pick.filter(lambda a: a != source), min_size=1, max_size=5))),
                "stackset_admin": draw(pick), "permission_model": draw(st.sampled_from(["self-managed", "service-managed"])),
            }
        hub = draw(pick)
        hub_buckets = [b for b, spec in buckets.items() if spec["account"] == hub]
        if hub_buckets:
            spokes = pick.filter(lambda a: a != hub)
            org["model_registry"] = {
                "hub": hub, "pattern": draw(st.sampled_from(["push", "pull"])), "artifacts_bucket": hub_buckets[0],
                "images": "images",
                "groups": {f"group{g}": {"spokes": sorted(draw(st.sets(spokes, min_size=1, max_size=4)))}
                           for g in range(draw(st.integers(1, 3)))},
            }
        owner = draw(pick)
        others = pick.filter(lambda a: a != owner)
        org["feature_store"] = {
            "owner": owner,
            "discoverable_by": sorted(draw(st.sets(others, max_size=3))),
            "feature_groups": {f"fg{f}": {"share": draw(st.dictionaries(others, st.sampled_from(["read-only", "read-write", "admin"]), max_size=3))}
                               for f in range(draw(st.integers(0, 3)))},
        }
        pipe_owner = draw(pick)
        org["pipelines"] = {"pipe": {"account": pipe_owner, "share": draw(st.dictionaries(
            pick.filter(lambda a: a != pipe_owner), st.sampled_from(["read-only", "allow-execution"]), max_size=3))}}
    org["guardrails"] = {
        "attach_to": ["ml"], "require_vpc_for_sagemaker_jobs": draw(st.booleans()),
        "require_volume_encryption": draw(st.booleans()), "deny_regions_outside_allowed": draw(st.booleans()),
        "studio_access_from": ["10.0.0.0/16"] if draw(st.booleans()) else [],
    }
    org["roles"] = {"ci": {"account": draw(pick), "trusted_services": ["codebuild.amazonaws.com"]}}
    org["grants"] = [{"principal": f"{org['roles']['ci']['account']}/role/ci", "resource": f"bucket/{draw(st.sampled_from(sorted(buckets)))}",
                      "access": draw(st.sampled_from(["read", "write", "admin"])), "why": "property test grant"}]
    return org


OU_IDS = {"ml": "ou-ab12-00000000", "ml-a": "ou-ab12-11111111", "ml-b": "ou-ab12-22222222", "ml-c": "ou-ab12-33333333"}


@st.composite
def scaled_organizations(draw, with_root: bool | None = None, max_accounts: int = 14) -> dict:
    """Organizations where compact encodings pay off: many deployment targets and registry spokes,
    nested OUs (ml > ml-a, ml-b; ml-c beside ml), targets named by account or by OU, with or without
    a root id. The enumerated build of each must stay within quota, so they stay small."""
    n = draw(st.integers(6, max_accounts))
    names = [f"acct{i}" for i in range(n)]
    root = draw(st.booleans()) if with_root is None else with_root
    ous = {"ml": OU_IDS["ml"], "ml-a": {"id": OU_IDS["ml-a"], "parent": "ml"},
           "ml-b": {"id": OU_IDS["ml-b"], "parent": "ml"}, "ml-c": OU_IDS["ml-c"]}
    org: dict = {
        "version": 1,
        "organization": {"id": "o-a1b2c3d4e5", "home_region": "eu-west-1", "regions": ["eu-west-1"],
                         "management_account": "mgmt", "ous": ous, **({"root": "r-ab12"} if root else {})},
        "accounts": {"mgmt": {"id": "999999999999", "stage": "management"}},
    }
    placement = draw(st.lists(st.sampled_from(["ml", "ml-a", "ml-b", "ml-c", None]), min_size=n, max_size=n))
    for i, name in enumerate(names):
        org["accounts"][name] = {
            "id": account_id(i), "stage": draw(st.sampled_from(["dev", "staging", "prod"])),
            **({"ou": placement[i]} if placement[i] else {}),
            "network": {"vpc": f"vpc-{i:017x}", "private_cidrs": [f"10.{i % 250}.0.0/24"],
                        "endpoints": {s: vpce(i, s) for s in ENDPOINT_SERVICES}},
        }
    source, hub = names[0], names[1]
    org["keys"] = {"models-key": {"account": source, "vpc_only": draw(st.booleans())}, "hub-key": {"account": hub}}
    org["buckets"] = {
        "models": {"name": "pg-test-models", "account": source, "key": "models-key", "vpc_only": draw(st.booleans())},
        "hub-models": {"name": "pg-test-hub-models", "account": hub, "key": "hub-key"},
    }
    org["ecr_repositories"] = {"images": {"account": hub}}
    others = [a for a in names if a not in (source, hub)]
    by_ou = draw(st.booleans())
    members = {ou: [a for a in others if placement[names.index(a)] == ou] for ou in ("ml-a", "ml-b", "ml-c")}
    if by_ou and any(members.values()):
        chosen = draw(st.sets(st.sampled_from([ou for ou, m in members.items() if m]), min_size=1))
        # an OU stands for its accounts; accounts of its child OUs would be listed twice, so name leaves only
        targets = sorted(chosen)
        covered = {a for ou in chosen for a in members[ou]}
        if source in covered:
            targets = [a for a in others if a in covered]
    else:
        targets = sorted(draw(st.sets(st.sampled_from(others), min_size=1, max_size=len(others))))
    org["deployment"] = {"source": source, "models_bucket": "models", "images": "images", "targets": targets,
                         "stackset_admin": hub, "permission_model": draw(st.sampled_from(["self-managed", "service-managed"]))}
    if org["deployment"]["permission_model"] == "service-managed":
        org["deployment"]["targets"] = [t for t in targets if t in ous or placement[names.index(t)] is not None] or ["ml-a"]
        if org["deployment"]["targets"] == ["ml-a"] and not members["ml-a"]:
            org["deployment"]["permission_model"] = "self-managed"
            org["deployment"]["targets"] = targets
    spokes = st.sampled_from([a for a in names if a != hub])
    org["model_registry"] = {
        "hub": hub, "pattern": draw(st.sampled_from(["push", "pull"])), "artifacts_bucket": "hub-models", "images": "images",
        "groups": {f"group{g}": {"spokes": sorted(draw(st.sets(spokes, min_size=1, max_size=6)))}
                   for g in range(draw(st.integers(1, 4)))},
    }
    org["teams"] = {"team0": {"account": source, "read": ["models"], "write": []}}
    return org
