"""A deterministic synthetic organization of N accounts, shaped like a real ML platform.

Accounts cycle through dev, staging, prod and data stages in three OUs; every account has a
VPC with the endpoints the platform uses. About one team per five accounts, each with a bucket
of its own (encrypted with its own key, vpc_only) that it writes and that one neighbouring team
reads. The deployment pipeline ships models from dev0 to up to ten prod accounts through a
StackSet. The model registry hub has one group per ten accounts (at most 20: the sync role holds ten managed policies), each with
up to four spokes;
the pattern alternates with N (pull for even N, push for odd), so both are measured. The feature
store shares groups read-only, read-write and admin; a pipeline is shared for execution; the
guardrails are all on.

Usage: python benchmarks/synthetic_org.py N > org.yaml
"""

from __future__ import annotations

import sys

import yaml

ENDPOINTS = ("s3", "kms", "sts", "sagemaker-api", "sagemaker-runtime", "ecr-api", "ecr-dkr", "events")
STAGES = ("dev", "staging", "prod", "data")
OUS = {"dev": "ml-dev", "staging": "ml-prod", "prod": "ml-prod", "data": "ml-shared"}


def account_id(i: int) -> str:
    return f"{200000000000 + i * 7919:012d}"


def vpce(i: int, service: int) -> str:
    return f"vpce-{i:08x}{service:09x}"


def synthetic_org(n: int) -> dict:
    names = [f"{STAGES[i % 4]}{i // 4}" for i in range(n)]
    accounts = {"management": {"id": "100000000001", "stage": "management"},
                "shared": {"id": "100000000002", "stage": "shared-services", "ou": "ml-shared",
                           "network": _network(n)}}
    for i, name in enumerate(names):
        accounts[name] = {"id": account_id(i), "stage": STAGES[i % 4], "ou": OUS[STAGES[i % 4]], "network": _network(i)}
    dev = [a for a in names if a.startswith("dev")] or ["shared"]
    prod = [a for a in names if a.startswith("prod")] or ["shared"]
    teams, keys, buckets = {}, {}, {}
    for t in range(max(1, n // 5)):
        home = names[(t * 5) % n] if n else "shared"
        keys[f"team{t}-key"] = {"account": home, "vpc_only": True}
        buckets[f"team{t}-data"] = {"name": f"bench-{t}-data-{home}", "account": home, "key": f"team{t}-key",
                                    "vpc_only": True, "versioning": t % 2 == 0}
    for t in range(max(1, n // 5)):
        home = buckets[f"team{t}-data"]["account"]
        neighbour = f"team{(t + 1) % max(1, n // 5)}-data"
        teams[f"team{t}"] = {"account": home, "write": [f"team{t}-data"],
                             "read": sorted({neighbour} - {f"team{t}-data"})}
    keys["models-key"] = {"account": dev[0], "vpc_only": True}
    buckets["models"] = {"name": f"bench-models-{dev[0]}", "account": dev[0], "key": "models-key", "vpc_only": True}
    keys["hub-key"] = {"account": "shared"}
    buckets["hub-models"] = {"name": "bench-hub-models", "account": "shared", "key": "hub-key"}
    spokes = [a for a in names if not a.startswith("data")] or ["shared"]
    org = {
        "version": 1,
        "organization": {"id": "o-b3nchm4rk0", "home_region": "eu-west-1", "regions": ["eu-west-1", "eu-central-1"],
                         "management_account": "management",
                         "ous": {"ml-dev": "ou-ab12-11111111", "ml-prod": "ou-ab12-22222222", "ml-shared": "ou-ab12-33333333"}},
        "accounts": accounts,
        "keys": keys,
        "buckets": buckets,
        "ecr_repositories": {"inference-images": {"account": "shared"}},
        "teams": teams,
        "studio": {"account": dev[0], "access_from": ["10.0.0.0/8"]},
        "deployment": {"source": dev[0], "models_bucket": "models", "images": "inference-images",
                       "targets": prod[:10], "stackset_admin": "shared", "permission_model": "self-managed"},
        "model_registry": {"hub": "shared", "pattern": "pull" if n % 2 == 0 else "push",
                           "artifacts_bucket": "hub-models", "images": "inference-images",
                           "groups": {f"group{g}": {"spokes": sorted({spokes[(g * 4 + k) % len(spokes)] for k in range(4)})}
                                      for g in range(max(1, min(n // 10, 20)))}},
        "feature_store": {"owner": "shared", "discoverable_by": dev[:20],
                          "feature_groups": {f"fg{f}": {"share": {dev[f % len(dev)]: ("read-only", "read-write", "admin")[f % 3]}}
                                             for f in range(max(1, n // 20))}},
        "pipelines": {"training": {"account": "shared", "share": {a: "allow-execution" for a in prod[:5] if a != "shared"}}},
        "guardrails": {"attach_to": ["ml-dev", "ml-prod", "ml-shared"], "require_vpc_for_sagemaker_jobs": True,
                       "require_volume_encryption": True, "deny_regions_outside_allowed": True,
                       "studio_access_from": ["10.0.0.0/8"]},
        "roles": {"ci": {"account": "shared", "trusted_services": ["codebuild.amazonaws.com"]}},
        "grants": [{"principal": "shared/role/ci", "resource": "bucket/models", "access": "read",
                    "why": "CI packages models for the registry"}],
    }
    return org


def _network(i: int) -> dict:
    return {"vpc": f"vpc-{i:017x}", "private_cidrs": [f"10.{i % 250}.{i // 250}.0/24"],
            "endpoints": {service: vpce(i, k) for k, service in enumerate(ENDPOINTS)}}


def org_yaml(n: int) -> str:
    text = yaml.safe_dump(synthetic_org(n), sort_keys=False, width=200)
    # Account ids must be quoted strings in the organization format.
    return text


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(org_yaml(int(sys.argv[1])))
