"""A Condition that is not a mapping of mappings (text, a list) makes its statement grant nothing: AWS refuses
such a policy. The evaluator says so instead of failing (found by the fuzz test on a mutated fixture)."""

from __future__ import annotations

import pytest

from policygen.access.conditions import block_holds, statement_holds
from policygen.policydoc.document import IDENTITY, PolicyDoc
from policygen.model.finding import Location


@pytest.mark.parametrize("condition", ["aws:SecureTransport", ["a", "b"], {"StringEquals": "x"}, 7])
def test_a_condition_of_another_shape_never_holds(condition):
    doc = PolicyDoc(IDENTITY, {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": condition}]}, Location("p.json", 1))
    statement = doc.statements[0]
    assert statement_holds(statement, {}) is False
    assert block_holds(condition, {}) is False


def test_an_empty_condition_holds():
    assert block_holds({}, {}) is True and block_holds(None, {}) is True
