"""Point 2 of issue 11: every call of every workflow is allowed, every boundary-crossing variant denied, by
policygen's evaluator and by @cloud-copilot/iam-simulate (with the build's SCPs), on the reference platform
and on random organizations."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from policygen.access.evaluate import evaluate
from policygen.access.inputs import world_from_org_text
from policygen.access.workflows import engine_inputs, inputs_of, request_of
from policygen.generate.ram import PERMISSION_ACTIONS
from policygen.generate.ram_workflows import share_use_holds, share_uses
from policygen.generate.workflows import calls_for, catalogue
from policygen.access.world import world_from
from policygen.ingest.collect import collect
from policygen.loader import load_org_text
from tests.conftest import ROOT
from tests.property.orgs import organizations
from tests.workflows.figures import FIGURES

SCP_IDS = ["r-ab12", "ou-ab12-11111111", "account"]
REFERENCE_TEXT = (ROOT / "policygen" / "data" / "reference-org.yaml").read_text()
REFERENCE_ORG = load_org_text(REFERENCE_TEXT, "reference-org.yaml")
REFERENCE_WORLD = world_from(collect([str(ROOT / "out")]))
REFERENCE_CALLS = calls_for(REFERENCE_ORG)
def _params():
    return [pytest.param(call, id=call.id) for call in REFERENCE_CALLS]


def _ours(world, call) -> bool:
    request = request_of(world, call)
    return evaluate(request, inputs_of(world, request)).allowed


def _theirs(engine, world, call) -> bool:
    request = request_of(world, call)
    inputs = engine_inputs(world, request)
    return engine.decide(request, inputs, SCP_IDS[: len(inputs.scp_levels)]) == "allow"


def test_the_reference_catalogue_is_not_empty():
    expects = {c.expect for c in REFERENCE_CALLS}
    assert expects == {"allow", "deny"} and len(REFERENCE_CALLS) > 300
    kinds = {c.workflow.split(":")[0] for c in REFERENCE_CALLS}
    assert {"team", "studio-presigned-url", "stackset-admin", "stackset-execution", "model-execution",
            "registry-publisher", "access"} <= kinds


@pytest.mark.parametrize("call", _params())
def test_reference_call_policygen(call):
    held = _ours(REFERENCE_WORLD, call) == (call.expect == "allow")
    FIGURES.add("reference", "policygen", call.expect, held)
    assert held, f"{call.id}: expected {call.expect} ({call.why or call.workflow})"


@pytest.mark.parametrize("call", REFERENCE_CALLS, ids=[c.id for c in REFERENCE_CALLS])
def test_reference_call_iam_simulate(simulate, call):
    held = _theirs(simulate, REFERENCE_WORLD, call) == (call.expect == "allow")
    FIGURES.add("reference", "iam-simulate", call.expect, held)
    assert held, f"{call.id}: expected {call.expect} ({call.why or call.workflow})"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(organizations(max_accounts=8))
def test_random_organizations_do_their_work_and_nothing_more(simulate, org):
    text = yaml.safe_dump(org, sort_keys=False)
    world = world_from_org_text(text, "random-org.yaml")
    model = load_org_text(text, "random-org.yaml")
    failures = []
    for call in calls_for(model):
        expected = call.expect == "allow"
        theirs = _theirs(simulate, world, call) == expected
        FIGURES.add("random orgs", "iam-simulate", call.expect, theirs)
        ours = _ours(world, call) == expected
        FIGURES.add("random orgs", "policygen", call.expect, ours)
        if not (ours and theirs):
            failures.append(f"{call.id}: expected {call.expect}, ours {'ok' if ours else 'WRONG'}, "
                            f"iam-simulate {'ok' if theirs else 'WRONG'}")
    assert not failures, "\n".join(failures[:20])


def test_reference_ram_uses():
    shares = [json.loads(p.read_text()) for p in (ROOT / "out" / "shares").rglob("*.json")]
    uses = share_uses(REFERENCE_ORG)
    assert {u.expect for u in uses} == {"allow", "deny"}
    wrong = [u for u in uses if not share_use_holds(REFERENCE_ORG, shares, u)]
    assert wrong == []


def test_catalogue_names_only_documented_actions_and_keys():
    from policygen.iamdb import load

    cat = load()
    data = catalogue()
    specs = [s for kind in data["workflows"].values() for group in kind.values() for s in group or []]
    specs += [s for group in data["access_calls"].values() for s in group]
    refs = set(data["references"])
    for spec in specs:
        action = cat.action(spec["action"])
        assert action is not None, spec["action"]
        assert set(spec.get("rests_on", ())) <= refs and spec.get("rests_on"), spec
        for name in spec.get("context", []):
            for key in data["contexts"][name]:
                if key.startswith("aws:"):
                    continue
                assert cat.key_allowed(action, key), f"{key} on {spec['action']}"
    for use in data["ram_uses"].values():
        granted = PERMISSION_ACTIONS.get(use["permission"])
        assert use.get("calls") is None or set(use["calls"]) <= set(granted), use
        assert use.get("outside") is None or use["outside"] not in granted, use
        for name in [*use.get("calls", ()), *([use["outside"]] if "outside" in use else [])]:
            assert cat.action(name) is not None, name
    for actions in PERMISSION_ACTIONS.values():
        assert all(cat.action(name) is not None for name in actions), actions


def test_a_broken_grant_is_caught():
    """The proof can fail: drop the team's PassRole and the team can no longer start a training job."""
    text = REFERENCE_TEXT.replace("    write: [models]\n", "    write: [models]\n    activities: [studio-apps]\n", 1)
    model = load_org_text(text, "org.yaml")
    world = world_from_org_text(text, "org.yaml")
    full = [c for c in REFERENCE_CALLS if c.action == "sagemaker:CreateTrainingJob" and "team1" in c.principal
            and c.expect == "allow"]
    assert full and not _ours(world, full[0]), "a team without the ml-jobs activity must not create training jobs"
    assert not any(c.action == "sagemaker:CreateTrainingJob" and "team1" in c.principal for c in calls_for(model))
