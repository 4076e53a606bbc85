"""Our evaluator against an independent engine, @cloud-copilot/iam-simulate, on generated requests.

Any disagreement fails. The bulk test compares at least MIN_COMPARED requests (sent in batches)
and fails when fewer were compared or more than MAX_REFUSED of them were refused by iam-simulate;
the hypothesis tests add fewer, shrinkable ones. The counts are printed at the end of the run.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygen.access.evaluate import evaluate
from policygen.access.world import world_from
from policygen.ingest.collect import collect
from tests.conftest import ROOT
from tests.differential import bulk
from tests.differential.requests import near_declared_requests, requests
from tests.differential.tally import TALLY
from tests.property.orgs import organizations

SCP_IDS = ["r-ab12", "ou-ab12-11111111", "account"]
MIN_COMPARED, MAX_REFUSED = 10_000, 0.05


REFERENCE_WORLD = world_from(collect([str(ROOT / "out")]))
# The same build with RCPs, permissions boundaries and VPC endpoint policies added (tests/differential/bulk.py).
LAYERED_WORLD = bulk.layered(world_from(collect([str(ROOT / "out")])))


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


def compare_many(engine, cases) -> tuple[int, int, list[str]]:
    """(compared, refused, disagreements) over (label, request, inputs) cases, in batches."""
    answers = engine.decide_many([(r, i, SCP_IDS[: len(i.scp_levels)]) for _, r, i in cases])
    compared = refused = 0
    disagreements = []
    for (label, request, inputs), theirs in zip(cases, answers):
        if isinstance(theirs, RuntimeError):
            TALLY.refused(str(theirs))
            refused += 1
            continue
        ours = evaluate(request, inputs)
        compared += 1
        TALLY.record(ours.result == theirs, ours.result)
        if ours.result != theirs:
            disagreements.append(f"[{label}] {request.principal} {request.action} {request.resource} {request.context}: "
                                 f"ours {ours.result} ({ours.reason}), iam-simulate {theirs}")
    return compared, refused, disagreements


def test_bulk_requests_agree(engine):
    """Over 10,000 requests: the reference build and its layered copy (RCPs, boundaries, endpoint
    and session policies, organization keys), declared paths with one thing changed, uploads
    without headers, S3's KMS calls, non-assume actions on roles."""
    selected = (bulk.cases(REFERENCE_WORLD, 5_200, seed=10) + bulk.cases(LAYERED_WORLD, 5_600, seed=11))
    compared, refused, disagreements = compare_many(engine, selected)
    assert not disagreements, f"{len(disagreements)} disagreements, first ones:\n" + "\n".join(disagreements[:10])
    assert compared >= MIN_COMPARED, f"only {compared} requests compared (at least {MIN_COMPARED} wanted)"
    assert refused <= MAX_REFUSED * len(selected), f"iam-simulate refused {refused} of {len(selected)} requests"
    layers = {layer.name for _, r, i in selected for layer in evaluate(r, i).layers}
    assert {"rcp", "boundary", "session", "endpoint", "trust", "key", "resource", "scp"} <= layers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_reference_build_agrees(engine, data):
    compare(engine, REFERENCE_WORLD, data.draw(requests(REFERENCE_WORLD)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_declared_paths_and_near_misses_agree(engine, data):
    compare(engine, REFERENCE_WORLD, data.draw(near_declared_requests(REFERENCE_WORLD)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_layered_build_agrees(engine, data):
    compare(engine, LAYERED_WORLD, data.draw(st.one_of(requests(LAYERED_WORLD), near_declared_requests(LAYERED_WORLD))))


def world_of(org: dict):
    import yaml

    from policygen.access.inputs import world_from_org_text

    return world_from_org_text(yaml.safe_dump(org, sort_keys=False), "random-org.yaml")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(organizations(max_accounts=8), st.data())
def test_random_organizations_agree(engine, org, data):
    world = world_of(org)
    for _ in range(25):
        strategy = near_declared_requests(world) if world.facts.accesses else requests(world)
        compare(engine, world, data.draw(st.one_of(strategy, requests(world))))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(sorted(bulk.PERTURBATIONS)), st.randoms(use_true_random=False))
def test_perturbed_policies_agree(engine, data, perturbation, rng):
    """Hand-edited policies are what the linter sees in the wild: drop a layer or every condition,
    add a session policy or a grant by organization path."""
    request = data.draw(near_declared_requests(REFERENCE_WORLD))
    if perturbation == "session policy" and ":role/" not in request.principal:
        return
    compare(engine, REFERENCE_WORLD, request, lambda inputs: bulk.PERTURBATIONS[perturbation](inputs, rng))
