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
