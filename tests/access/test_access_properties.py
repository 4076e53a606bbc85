"""Properties of the compiled organization, checked with the evaluator (issue 4, point 7):
declared paths work end to end, undeclared ones do not, vpc_only means vpc_only."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygen.access.declared import ENDPOINT_OF, path_requests
from policygen.access.evaluate import evaluate
from policygen.access.world import world_from
from policygen.ingest.collect import collect
from tests.conftest import REFERENCE
from tests.differential.requests import ACTIONS
from tests.property.orgs import organizations

REFERENCE_WORLD = world_from(collect([str(REFERENCE)]))


def world_of(org: dict):
    import yaml

    from policygen.access.inputs import world_from_org_text

    return world_from_org_text(yaml.safe_dump(org, sort_keys=False), "random-org.yaml")


def check_declared_paths_allowed(world):
    assert world.facts.accesses
    for access in world.facts.accesses:
        for request in path_requests(world, access):
            decision = evaluate(request, world.inputs(request))
            assert decision.allowed, (access, request.action, request.context, decision.reason,
                                      [str(r) for layer in decision.layers for r in layer.statements])


def check_outside_endpoints_denied(world):
    for access in world.facts.accesses:
        resource = world.resource_of(access.target)
        if resource is None or not resource.vpc_only or access.via:
            continue
        for request in path_requests(world, access):
            for context in ({}, {"aws:SourceVpce": "vpce-0fedcba9876543210"}):
                outside = world.request(request.principal, request.action, request.resource,
                                        {k: v for k, v in request.context.items() if k != "aws:SourceVpce"} | context)
                assert not evaluate(outside, world.inputs(outside)).allowed, (access, context)


def test_reference_declared_paths_are_allowed_end_to_end():
    check_declared_paths_allowed(REFERENCE_WORLD)


def test_reference_vpc_only_refuses_requests_from_outside_its_endpoints():
    check_outside_endpoints_denied(REFERENCE_WORLD)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(organizations(max_accounts=10))
def test_random_organizations_declared_paths_work_and_vpc_only_holds(org):
    world = world_of(org)
    if world.facts.accesses:
        check_declared_paths_allowed(world)
        check_outside_endpoints_denied(world)


@st.composite
def undeclared(draw, world):
    declared = {(a.principal, a.target) for a in world.facts.accesses}
    pairs = [(p, r) for p in sorted(world.principals) for r in sorted(world.resources)
             if (p, r) not in declared and p != r and world.resources[r].kind in ACTIONS]
    principal, resource = draw(st.sampled_from(pairs))
    kind = world.resources[resource].kind
    # A role's declared access is assuming it; managing a role (iam:PassRole, iam:GetRole, ...) is
    # granted by the deploying role's identity policy, not declared as an access path.
    action = draw(st.sampled_from([a for a in ACTIONS[kind] if kind != "role" or a.startswith("sts:")]))
    target = resource + ("/some-object" if kind == "bucket" and not action.endswith("Bucket") else "")
    endpoint = world.endpoints(principal.split(":")[4]).get(ENDPOINT_OF[kind])
    return world.request(principal, action, target, {"aws:SourceVpce": endpoint} if endpoint else {})


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_reference_undeclared_triples_are_denied(data):
    request = data.draw(undeclared(REFERENCE_WORLD))
    decision = evaluate(request, REFERENCE_WORLD.inputs(request))
    assert not decision.allowed, (request, decision.reason, [str(r) for l in decision.layers for r in l.statements])
