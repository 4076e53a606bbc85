"""Grants on every kind of resource and level (the random organizations grant buckets only): the work of
each declared grant is proven with both engines, and no granted action is left unused."""

from __future__ import annotations

import json

import pytest
import yaml

from policygen.access.inputs import world_from_org_text
from policygen.access.workflows import engine_inputs, request_of
from policygen.generate.workflows import calls_for
from policygen.access.evaluate import evaluate
from policygen.generate.build import build_text
from policygen.loader import load_org_text
from tests.conftest import ROOT
from tests.workflows.figures import FIGURES

REFERENCE = yaml.safe_load((ROOT / "policygen" / "data" / "reference-org.yaml").read_text())
SCP_IDS = ["r-ab12", "ou-ab12-11111111", "account"]
RESOURCES = ["key/data-key", "key/hub-key", "repository/inference-images", "model-package-group/churn-model", "bucket/data"]


@pytest.mark.parametrize("level", ["read", "write", "admin"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_declared_grant_is_usable_and_fully_used(simulate, resource, level):
    org = json.loads(json.dumps(REFERENCE))
    org["grants"].append({"principal": "shared/role/ci-pipeline", "resource": resource, "access": level,
                          "why": f"test: {level} on {resource}"})
    text = yaml.safe_dump(org, sort_keys=False)
    built = build_text(text, "org.yaml")
    ci = "arn:aws:iam::222222222222:role/ci-pipeline"
    [row] = [r for r in json.loads(built.files["manifest.json"])["coverage"] if r["role"] == ci]
    assert row["unused"] == []
    world = world_from_org_text(text, "org.yaml")
    calls = [c for c in calls_for(load_org_text(text, "org.yaml")) if c.principal == ci]
    assert calls
    wrong = []
    for call in calls:
        request = request_of(world, call)
        inputs = engine_inputs(world, request)
        expected = call.expect == "allow"
        ours = evaluate(request, world.inputs(request)).allowed == expected
        theirs = (simulate.decide(request, inputs, SCP_IDS[: len(inputs.scp_levels)]) == "allow") == expected
        FIGURES.add("declared grants", "policygen", call.expect, ours)
        FIGURES.add("declared grants", "iam-simulate", call.expect, theirs)
        if not (ours and theirs):
            wrong.append(f"{call.id}: expected {call.expect}, ours {ours}, iam-simulate {theirs}")
    assert wrong == []
