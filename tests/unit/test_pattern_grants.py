"""The compact model-registry statements (every group of an account, or groups in many accounts) grant
each action on the resource type it acts on: a large organization's build must lint as clean as a
small one's (CreateModelPackage on model-package-group/* was a dead grant, SY010 on our own output)."""

from __future__ import annotations

import pytest

from policygen.generate.arns import Arns
from policygen.generate.grants import _pattern_statements
from policygen.iamdb import load
from policygen.loader import load_org_text
from policygen.model.span import Span
from tests.conftest import PACKAGED_REFERENCE

ORG = load_org_text(PACKAGED_REFERENCE.read_text(), "org.yaml")
CATALOGUE = load()


def resource_type(arn: str) -> str:
    return arn.split(":", 5)[5].split("/")[0]


@pytest.mark.parametrize("level", ["read", "write", "admin"])
@pytest.mark.parametrize("own", ["shared", None], ids=["every group of one account", "groups in accounts"])
def test_each_action_is_granted_on_the_type_it_acts_on(level, own):
    accounts = sorted(ORG.accounts)[:3]
    statements = _pattern_statements(Arns(ORG, True), "model-package-group", "*", level, accounts, own,
                                     Span("org.yaml", 1, 1))
    assert {resource_type(r) for s in statements for r in s.resource} == {"model-package-group", "model-package"}
    for statement in statements:
        [kind] = {resource_type(r) for r in statement.resource}
        for name in statement.action:
            types = {t for t, _required in CATALOGUE.action(name).resource_types}
            assert kind in types, f"{statement.sid}: {name} does not act on {kind} (acts on {sorted(types)})"
