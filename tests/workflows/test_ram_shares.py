"""Seeds 000 and 002: a RAM share is seen by the engines as the resource policy AWS applies to what it shares."""

from __future__ import annotations

from policygen.access.evaluate import evaluate
from policygen.access.ram_shares import SHARED, share_policies
from policygen.access.workflows import inputs_of, request_of
from policygen.access.world import world_from
from policygen.generate.ram import PERMISSION_ACTIONS
from policygen.ingest.collect import collect
from policygen.model.finding import Location
from policygen.policydoc.corpus import Corpus
from policygen.policydoc.document import SHARE, PolicyDoc
from tests.workflows.test_workflow_proofs import REFERENCE_CALLS, REFERENCE_WORLD
from tests.conftest import ROOT

GROUP = "arn:aws:sagemaker:eu-west-1:333333333333:feature-group/customer-profile"
PIPELINE = "arn:aws:sagemaker:eu-west-1:555555555555:pipeline/sagemaker-pipeline"


def test_each_shared_resource_gets_the_permission_s_actions_for_its_consumers():
    policies = dict(share_policies(collect([str(ROOT / "out")])))
    assert set(policies) == {GROUP, PIPELINE, GROUP.replace("customer-profile", "transactions")}
    [statement] = policies[GROUP].body["Statement"]
    assert statement["Principal"] == {"AWS": ["arn:aws:iam::444444444444:root"]}
    assert statement["Action"] == sorted(PERMISSION_ACTIONS["AWSRAMPermissionSageMakerFeatureGroupReadOnly"])
    by_consumer = {s["Principal"]["AWS"][0]: s for s in policies[PIPELINE].body["Statement"]}
    assert "sagemaker:StartPipelineExecution" in by_consumer["arn:aws:iam::222222222222:root"]["Action"]
    assert "sagemaker:StartPipelineExecution" not in by_consumer["arn:aws:iam::444444444444:root"]["Action"]
    assert by_consumer["arn:aws:iam::444444444444:root"]["Resource"] == [PIPELINE, PIPELINE + "/execution/*"]
    assert REFERENCE_WORLD.resources[GROUP].kind == SHARED and policies[GROUP].account_id == "333333333333"


def test_without_the_shares_no_consumer_gets_in():
    """The proof can fail: the same build without its shares denies every RAM use."""
    corpus = collect([str(ROOT / "out")])
    corpus.docs = [d for d in corpus.docs if d.kind != SHARE]
    world = world_from(corpus)
    uses = [c for c in REFERENCE_CALLS if c.workflow.startswith("ram:") and c.expect == "allow"]
    assert len(uses) >= 10
    for call in uses:
        request = request_of(world, call)
        assert not evaluate(request, inputs_of(world, request)).allowed, call.id


def test_principals_a_policy_cannot_name_and_unknown_permissions_grant_nothing():
    corpus = Corpus()
    body = {"Name": "org-wide", "Principals": ["arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"],
            "ResourceArns": [GROUP], "PermissionArns": ["arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerFeatureGroupReadOnly"]}
    unknown = {**body, "Name": "custom", "Principals": ["444444444444"],
               "PermissionArns": ["arn:aws:ram::444444444444:permission/MyPermission"]}
    corpus.docs = [PolicyDoc(SHARE, body, Location("s.json", 1)), PolicyDoc(SHARE, unknown, Location("t.json", 1))]
    assert share_policies(corpus) == []
