"""Our evaluator against an independent engine, @cloud-copilot/iam-simulate, on generated requests.

Every disagreement must be one of KNOWN_DIFFERENCES, each settled by the AWS documentation;
anything else fails. The agreement count is printed at the end of the run.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygen.access.evaluate import evaluate
from policygen.access.world import world_from
from policygen.ingest.collect import collect
from tests.conftest import ROOT
from tests.differential.requests import near_declared_requests, requests
from tests.differential.tally import TALLY
from tests.property.orgs import organizations

SCP_IDS = ["r-ab12", "ou-ab12-11111111", "account"]


REFERENCE_WORLD = world_from(collect([str(ROOT / "out")]))


def compare(engine, world, request, perturb=None) -> None:
    inputs = world.inputs(request)
    if perturb is not None:
        inputs = perturb(inputs)
    ours = evaluate(request, inputs)
    try:
        theirs = engine.decide(request, inputs, SCP_IDS[: len(inputs.scp_levels)])
    except RuntimeError as exc:  # iam-simulate refuses some inputs (an action on a resource type it cannot take)
        TALLY.refused(str(exc))
        return
    TALLY.record(ours.result == theirs, ours.result)
    assert ours.result == theirs, (
        f"{request.principal} {request.action} {request.resource} {request.context}: "
        f"ours {ours.result} ({ours.reason}), iam-simulate {theirs}")


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_reference_build_agrees(engine, data):
    compare(engine, REFERENCE_WORLD, data.draw(requests(REFERENCE_WORLD)))


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_declared_paths_and_near_misses_agree(engine, data):
    compare(engine, REFERENCE_WORLD, data.draw(near_declared_requests(REFERENCE_WORLD)))


def world_of(org: dict):
    import yaml

    from policygen.access.inputs import world_from_org_text

    return world_from_org_text(yaml.safe_dump(org, sort_keys=False), "random-org.yaml")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(organizations(max_accounts=8), st.data())
def test_random_organizations_agree(engine, org, data):
    world = world_of(org)
    for _ in range(25):
        strategy = near_declared_requests(world) if world.facts.accesses else requests(world)
        compare(engine, world, data.draw(st.one_of(strategy, requests(world))))


def _without_conditions(doc):
    from policygen.policydoc.document import PolicyDoc

    body = {**doc.body, "Statement": [{k: v for k, v in st.items() if k != "Condition"} for st in doc.body["Statement"]]}
    return PolicyDoc(doc.kind, body, doc.location, name=doc.name)


PERTURBATIONS = {
    "no identity policies": lambda i: type(i)([], i.scp_levels, i.resource, i.is_key),
    "resource policy without conditions": lambda i: type(i)(i.identity, i.scp_levels,
                                                            _without_conditions(i.resource) if i.resource else None, i.is_key),
    "no SCPs": lambda i: type(i)(i.identity, [], i.resource, i.is_key),
}


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(sorted(PERTURBATIONS)))
def test_perturbed_policies_agree(engine, data, perturbation):
    """Hand-edited policies are what the linter sees in the wild: drop a layer, or every condition."""
    compare(engine, REFERENCE_WORLD, data.draw(near_declared_requests(REFERENCE_WORLD)), PERTURBATIONS[perturbation])
