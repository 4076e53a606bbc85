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

The realistic shape (issue 13), `realistic_org(N)`: blocks of five accounts, each a research
account (a Studio team, a data bucket that stays in the VPC, a models bucket, one key), one
staging and two prod accounts that receive every model, and a registry spoke. The pipeline
deploys from the first research account to every staging and prod account; the registry
(pull pattern, hub in `shared`) has a group per block with two spokes each. OUs are nested
(ml > ml-research, ml-deploy > ml-staging, ml-prod; ml > ml-registry, ml-shared) under a
declared root. With by_ou the deployment names the ml-deploy OU (service-managed StackSet)
instead of listing the accounts (self-managed). Nothing is capped.

Usage: python benchmarks/synthetic_org.py N [--realistic [--by-ou]] > org.yaml
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


BLOCK = ("research", "staging", "prod-a", "prod-b", "spoke")
BLOCK_OU = {"research": "ml-research", "staging": "ml-staging", "prod-a": "ml-prod", "prod-b": "ml-prod",
            "spoke": "ml-registry"}
BLOCK_STAGE = {"research": "dev", "staging": "staging", "prod-a": "prod", "prod-b": "prod", "spoke": "test"}
REALISTIC_OUS = {
    "ml": "ou-b3nc-00000000",
    "ml-research": {"id": "ou-b3nc-11111111", "parent": "ml"},
    "ml-deploy": {"id": "ou-b3nc-22222222", "parent": "ml"},
    "ml-staging": {"id": "ou-b3nc-33333333", "parent": "ml-deploy"},
    "ml-prod": {"id": "ou-b3nc-44444444", "parent": "ml-deploy"},
    "ml-registry": {"id": "ou-b3nc-55555555", "parent": "ml"},
    "ml-shared": {"id": "ou-b3nc-66666666", "parent": "ml"},
}


def realistic_org(n: int, by_ou: bool = False) -> dict:
    """The shape of issue 13 with n accounts (rounded up to whole blocks of five)."""
    blocks = max(1, -(-n // 5))
    accounts = {"management": {"id": "100000000001", "stage": "management"},
                "shared": {"id": "100000000002", "stage": "shared-services", "ou": "ml-shared", "network": _network(n + 7)}}
    keys, buckets, teams, targets, groups = {}, {}, {}, [], {}
    for b in range(blocks):
        for k, role in enumerate(BLOCK):
            i = b * 5 + k
            accounts[f"{role}-{b}"] = {"id": account_id(i), "stage": BLOCK_STAGE[role], "ou": BLOCK_OU[role],
                                       "network": _network(i)}
        research = f"research-{b}"
        keys[f"key-{b}"] = {"account": research}
        buckets[f"data-{b}"] = {"name": f"bench-data-{b}", "account": research, "key": f"key-{b}", "vpc_only": True}
        buckets[f"models-{b}"] = {"name": f"bench-models-{b}", "account": research, "key": f"key-{b}", "versioning": True}
        teams[f"team-{b}"] = {"account": research, "read": [f"data-{b}"], "write": [f"models-{b}"]}
        targets += [f"staging-{b}", f"prod-a-{b}", f"prod-b-{b}"]
        groups[f"group-{b}"] = {"spokes": sorted({f"spoke-{b}", f"spoke-{(b + 1) % blocks}"})}
    keys["hub-key"] = {"account": "shared"}
    buckets["hub-models"] = {"name": "bench-hub-models", "account": "shared", "key": "hub-key", "versioning": True}
    return {
        "version": 1,
        "organization": {"id": "o-b3nchm4rk0", "root": "r-b3nc", "home_region": "eu-west-1",
                         "regions": ["eu-west-1", "eu-central-1"], "management_account": "management",
                         "ous": REALISTIC_OUS},
        "accounts": accounts,
        "keys": keys,
        "buckets": buckets,
        "ecr_repositories": {"inference-images": {"account": "shared"}},
        "teams": teams,
        "studio": {"account": "research-0", "access_from": ["10.0.0.0/8"]},
        "deployment": {"source": "research-0", "models_bucket": "models-0", "images": "inference-images",
                       "targets": ["ml-deploy"] if by_ou else targets, "stackset_admin": "shared",
                       "permission_model": "service-managed" if by_ou else "self-managed"},
        "model_registry": {"hub": "shared", "pattern": "pull", "artifacts_bucket": "hub-models",
                           "images": "inference-images", "groups": groups},
        "feature_store": {"owner": "shared", "discoverable_by": [f"research-{b}" for b in range(min(blocks, 20))],
                          "feature_groups": {f"fg-{b}": {"share": {f"research-{b}": "read-only"}} for b in range(min(blocks, 20))}},
        "pipelines": {"training": {"account": "shared", "share": {f"research-{b}": "allow-execution" for b in range(min(blocks, 5))}}},
        "guardrails": {"attach_to": ["ml-research", "ml-staging", "ml-prod", "ml-registry"],
                       "require_vpc_for_sagemaker_jobs": True, "require_volume_encryption": True,
                       "deny_regions_outside_allowed": True, "studio_access_from": ["10.0.0.0/8"]},
        "roles": {"ci": {"account": "shared", "trusted_services": ["codebuild.amazonaws.com"]}},
        "grants": [{"principal": "shared/role/ci", "resource": "bucket/models-0", "access": "read",
                    "why": "CI packages models for the registry"}],
    }


def realistic_yaml(n: int, by_ou: bool = False) -> str:
    return yaml.safe_dump(realistic_org(n, by_ou), sort_keys=False, width=200)


if __name__ == "__main__":  # pragma: no cover
    size = int(sys.argv[1])
    if "--realistic" in sys.argv[2:]:
        sys.stdout.write(realistic_yaml(size, by_ou="--by-ou" in sys.argv[2:]))
    else:
        sys.stdout.write(org_yaml(size))
