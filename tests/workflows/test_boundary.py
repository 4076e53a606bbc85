"""Point 3 of issue 11, second half: the deployment roles that create and change the model execution role
are bounded. The boundary allows exactly the model role's work; every create or change requires it; removing
or replacing it is denied."""

from __future__ import annotations

import json

import pytest

from policygen.generate.plan.deployment import BOUNDED_ROLE_ACTIONS, MODEL_ROLE_BOUNDARY
from policygen.iamdb import load
from tests.conftest import ROOT

OUT = ROOT / "out"
TARGETS = {"staging": "555555555555", "prod": "666666666666"}


def _json(path: str) -> dict:
    return json.loads((OUT / path).read_text())


def _as_list(v):
    return v if isinstance(v, list) else [v]


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_boundary_is_the_model_roles_own_work(target):
    boundary = _json(f"policies/{target}/identity-policy/{MODEL_ROLE_BOUNDARY}.json")
    policy = _json(f"policies/{target}/identity-policy/SageMakerModelExecutionRole-policy.json")
    assert boundary == policy


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_create_or_change_requires_the_boundary_and_removing_it_is_denied(target):
    arn = f"arn:aws:iam::{TARGETS[target]}:policy/{MODEL_ROLE_BOUNDARY}"
    policy = _json(f"policies/{target}/identity-policy/AWSCloudFormationStackSetExecutionRole-policy.json")
    catalogue = load()
    iam_allows = [s for s in policy["Statement"] if s["Effect"] == "Allow"
                  and any(a.startswith("iam:") and a != "iam:PassRole" for a in _as_list(s["Action"]))]
    for s in iam_allows:
        for action in _as_list(s["Action"]):
            level = catalogue.action(action).level
            if level == "permissions-management":
                assert s.get("Condition") == {"ArnEquals": {"iam:PermissionsBoundary": arn}}, action
    bounded = {a for s in iam_allows if s.get("Condition") for a in _as_list(s["Action"])}
    assert bounded == set(BOUNDED_ROLE_ACTIONS)
    denies = {s["Sid"]: s for s in policy["Statement"] if s["Effect"] == "Deny"}
    assert _as_list(denies["DenyRemovingModelExecutionRoleBoundary"]["Action"]) == ["iam:DeleteRolePermissionsBoundary"]
    other = denies["DenyRolesWithoutModelExecutionRoleBoundary"]
    assert set(other["Action"]) == {"iam:CreateRole", "iam:PutRolePermissionsBoundary"}
    assert other["Condition"] == {"ArnNotEquals": {"iam:PermissionsBoundary": arn}}


def test_the_stackset_role_carries_the_boundary():
    body = (OUT / "stacksets/sagemaker-model-deployment.yaml").read_text()
    assert f'Fn::Sub: "arn:aws:iam::${{AWS::AccountId}}:policy/{MODEL_ROLE_BOUNDARY}"' in body
    for target in TARGETS:
        template = (OUT / f"templates/{target}.yaml").read_text()
        assert f"ManagedPolicyName: {MODEL_ROLE_BOUNDARY}" in template
