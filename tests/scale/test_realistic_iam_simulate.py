"""Acceptance of issue 13: at 200 accounts of the realistic shape, an independent engine
(@cloud-copilot/iam-simulate) allows every declared path of the compact build and denies
undeclared and wrong-endpoint requests, exactly as for the enumerated build at 100.

The organization keys AWS puts into requests (aws:PrincipalOrgPaths, aws:ResourceOrgPaths,
aws:ResourceOrgID) are computed by the test from the organization facts
(tests/property/worlds.with_org_paths): our evaluator does not set them yet (issue 13 point 3).
iam-simulate evaluates the conditions on them itself.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pytest

from policygen.access.evaluate import Inputs, evaluate
from policygen.model.finding import Location
from policygen.policydoc.document import IDENTITY, PolicyDoc
from policygen.access.declared import path_context, path_requests
from tests.differential.requests import declared_request
from tests.property.worlds import with_org_paths, world_of

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from synthetic_org import realistic_yaml  # noqa: E402

ADMIN = PolicyDoc(IDENTITY, {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                  Location("(test) administrator", 1), name="admin")
REFUSED: list[tuple] = []
CASES = {"compact at 200": (200, True), "enumerated at 100": (100, False)}


@lru_cache(maxsize=None)
def world(n: int, compact: bool):
    return with_org_paths(world_of(realistic_yaml(n), compact))


def decide(engine, w, request, identity=None):
    inputs = w.inputs(request)
    if identity is not None:
        inputs = Inputs(identity, inputs.scp_levels, inputs.resource, inputs.is_key)
    scp_ids = ["r-b3nc", "ou", "account"][: len(inputs.scp_levels)]
    try:
        theirs = engine.decide(request, inputs, scp_ids)
    except RuntimeError as exc:  # iam-simulate refuses some inputs; counted, and the tests bound them
        REFUSED.append((request.action, request.resource, str(exc)))
        theirs = "refused"
    return theirs, evaluate(request, inputs).result


def declared(w):
    """One request per declared access: its level's first action, with the context the platform gives it."""
    for access in w.facts.accesses:
        made = path_requests(w, access)  # the platform's own requests for the path (access.declared.PATH_ACTIONS)
        if made:
            request = made[0]
            yield access, declared_request(w, access, request.action, request.resource, dict(request.context))
        else:  # a role to assume
            yield access, declared_request(w, access, "sts:AssumeRole", access.target,
                                           path_context(w, access, "sts:AssumeRole"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_declared_path_is_allowed(engine, case):
    w = world(*CASES[case])
    decisions = [(access.principal, request.action, request.resource, decide(engine, w, request))
                 for access, request in declared(w)]
    assert len(decisions) > 300
    refused = [d for d in decisions if d[3] != ("allow", "allow") and d[3][0] != "refused"]
    assert refused == [], f"{len(refused)} of {len(decisions)} declared paths not allowed, e.g. {refused[:3]}"
    engine_refused = [d for d in decisions if d[3][0] == "refused"]
    assert all(d[3][1] == "allow" for d in engine_refused)
    assert len(engine_refused) < len(decisions) / 10, f"iam-simulate refused {len(engine_refused)}: {engine_refused[:3]}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_role_name_in_an_undeclared_account_is_denied(engine, case):
    """A role named like a declared one, with an administrator's identity policy, in an account the
    file gives no such access (a research or spoke account): every cross-account resource side refuses it."""
    w = world(*CASES[case])
    outsiders = [w.account_ids[a] for a in ("research-1", "spoke-0")]
    checked = 0
    for access, request in declared(w):
        if access.principal_account == access.target_account:
            continue
        role = access.principal.split(":role/")[1]
        for account in outsiders:
            if w.account_ids.get(access.principal_account) == account or w.resource_account(request.resource) == account:
                continue
            stranger = f"arn:aws:iam::{account}:role/{role}"
            if stranger in w.principals:
                continue  # the file declares this role there: not a stranger
            own = {k: v for k, v in request.context.items() if not k.startswith("aws:Principal")}  # the stranger's own
            ask = w.request(stranger, request.action, request.resource, own)
            theirs, ours = decide(engine, w, ask, identity=[ADMIN])
            assert theirs != "allow" and ours != "allow", f"{stranger} {request.action} {request.resource}"
            checked += theirs != "refused"
    assert checked > 100


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_declared_path_through_the_wrong_endpoint_is_denied(engine, case):
    w = world(*CASES[case])
    checked = 0
    for access, request in declared(w):
        resource = w.resource_of(request.resource)
        if resource is None or not resource.vpc_only or access.via or "aws:SourceVpce" not in request.context:
            continue
        ask = w.request(access.principal, request.action, request.resource,
                        {**request.context, "aws:SourceVpce": "vpce-0fedcba9876543210"})
        theirs, ours = decide(engine, w, ask)
        assert ours == "explicit-deny" and theirs in ("explicit-deny", "refused"), f"{access['principal']} {request.resource}"
        checked += theirs != "refused"
    assert checked >= 20
