"""Issue 11, encrypted SageMaker jobs: a team creates the volume grants of its jobs and endpoint configs on the keys
it declares (the keys of its buckets), through SageMaker only, and both the team role's policy and the key policy
must say so. The proofs in test_workflow_proofs run the calls through both engines; these tests show each side is
needed and nothing else is granted."""

from __future__ import annotations

import json

import pytest

from policygen.access.evaluate import evaluate
from policygen.access.inputs import world_from_org_text
from policygen.access.workflows import request_of
from policygen.generate import kms
from policygen.generate.plan import teams
from policygen.generate.workflows import calls_for
from policygen.loader import load_org_text
from tests.conftest import ROOT

TEXT = (ROOT / "policygen" / "data" / "reference-org.yaml").read_text()
ORG = load_org_text(TEXT, "reference-org.yaml")


def _grant_calls(org):
    return [c for c in calls_for(org) if c.action == "kms:CreateGrant" and c.expect == "allow"]


def test_every_team_with_jobs_declares_the_keys_of_its_buckets():
    assert teams.team_volume_keys(ORG, ORG.teams["team1"]) == ("data-key", "models-key")
    assert teams.team_volume_keys(ORG, ORG.teams["team2"]) == ("data-key",)
    calls = _grant_calls(ORG)
    assert {c.principal.rsplit("-", 1)[-1] for c in calls} == {"team1", "team2"}
    assert all(c.context["kms:GrantIsForAWSResource"] == "true" and c.context["kms:ViaService"].startswith("sagemaker.")
               for c in calls)


def test_a_team_without_jobs_or_endpoints_gets_no_key_grant():
    text = TEXT.replace("    write: [models]\n", "    write: [models]\n    activities: [studio-apps, models]\n", 1)
    org = load_org_text(text, "org.yaml")
    assert teams.team_volume_keys(org, org.teams["team1"]) == ()
    assert not any("team1" in c.principal for c in _grant_calls(org))


def test_the_key_policies_name_exactly_the_teams_that_declare_them():
    data = json.loads((ROOT / "out" / "policies" / "dev" / "key-policy" / "data-key.json").read_text())
    models = json.loads((ROOT / "out" / "policies" / "dev" / "key-policy" / "models-key.json").read_text())
    hub = json.loads((ROOT / "out" / "policies" / "shared" / "key-policy" / "hub-key.json").read_text())

    def grantees(doc):
        return [s["Condition"]["ArnEquals"]["aws:PrincipalArn"] for s in doc["Statement"] if s["Sid"] == "SageMakerVolumeGrants"]

    assert [sorted(r.rsplit("-", 1)[-1] for r in g) for g in grantees(data)] == [["team1", "team2"]]
    assert [[r.rsplit("-", 1)[-1] for r in g] for g in grantees(models)] == [["team1"]]
    assert grantees(hub) == []
    [grant] = [s for s in data["Statement"] if s["Sid"] == "SageMakerVolumeGrants"]
    assert grant["Action"] == "kms:CreateGrant" and grant["Condition"]["Bool"] == {"kms:GrantIsForAWSResource": "true"}


@pytest.mark.parametrize("side", ["key policy", "identity policy"])
def test_either_side_missing_denies_the_grant(monkeypatch, side):
    if side == "key policy":
        monkeypatch.setattr(kms, "_volume_key_users", lambda arns, key, doc, teams: None)
    else:
        monkeypatch.setattr(teams, "volume_key_statements", lambda arns, team: [])
    world = world_from_org_text(TEXT, "reference-org.yaml")
    calls = _grant_calls(ORG)
    assert calls
    for call in calls:
        request = request_of(world, call)
        assert not evaluate(request, world.inputs(request)).allowed, f"{call.id} allowed without the {side}"


def test_a_team_without_buckets_encrypts_with_the_keys_it_names():
    # team3 reads and writes no bucket, so only volume_keys gives it a key; models-key is in its account,
    # hub-key in another (the key policy must name it there).
    text = TEXT.replace("teams:\n", "teams:\n  team3:\n    account: dev\n    volume_keys: [models-key, hub-key]\n", 1)
    org = load_org_text(text, "org.yaml")
    assert teams.team_volume_keys(org, org.teams["team3"]) == ("hub-key", "models-key")
    world = world_from_org_text(text, "org.yaml")
    calls = [c for c in calls_for(org) if c.principal.endswith("-team3") and c.resource.startswith("arn:aws:kms")]
    assert {c.action for c in calls if c.expect == "allow"} >= {"kms:CreateGrant", "kms:Decrypt"}
    for call in calls:
        request = request_of(world, call)
        allowed = evaluate(request, world.inputs(request)).allowed
        assert allowed == (call.expect == "allow"), f"{call.id}: expected {call.expect}"


def test_volume_keys_must_name_declared_keys():
    from policygen.errors import InputError

    text = TEXT.replace("teams:\n", "teams:\n  team3:\n    account: dev\n    volume_keys: [nokey]\n", 1)
    with pytest.raises(InputError) as info:
        load_org_text(text, "org.yaml")
    [problem] = [str(p) for p in info.value.problems]
    assert "unknown key 'nokey'" in problem and problem.startswith("org.yaml:")
