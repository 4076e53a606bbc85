"""generate/json_emit.dumps is json.dumps(value, indent=2, ensure_ascii=...), byte for byte.

The build writes every policy, role and share file and the manifest with it, and out/ is compared
byte for byte, so any difference would be a changed build. Random values cover what json.dumps
takes: nested empties, tuples, unicode (astral, surrogates, control characters), every float
(NaN, infinities, -0.0, exponents), big ints, bools as values and keys, non-string keys.
"""

from __future__ import annotations

import enum
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.generate.json_emit import dumps

SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-2**200, max_value=2**200)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text() | st.text(alphabet=st.characters(codec="utf-8"))
           | st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3FF)))
KEYS = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
VALUES = st.recursive(
    SCALARS,
    lambda inner: (st.lists(inner, max_size=6) | st.lists(inner, max_size=6).map(tuple)
                   | st.lists(st.text(), max_size=6) | st.dictionaries(KEYS, inner, max_size=6)),
    max_leaves=60,
)


@settings(max_examples=600, deadline=None)
@given(VALUES, st.booleans())
def test_same_text_as_json_dumps(value, ensure_ascii):
    assert dumps(value, ensure_ascii=ensure_ascii) == json.dumps(value, indent=2, ensure_ascii=ensure_ascii)


class Level(enum.IntEnum):
    HIGH = 2


class Name(str):
    pass


@pytest.mark.parametrize("value", [
    [], {}, [[]], [{}], {"a": []}, {"a": {}}, [[], [[]], {}], "", "\u2028\ud800\x00\x7f\"\\/",
    {1: "int key", 1.5: "float key", True: "t", None: "n"}, [Level.HIGH, 0.1, -0.0, 1e300, float("nan")],
    {Name("k"): Name("v")}, ["a", 1, "b"], ("x", ("y",)), {"Statement": [{"Action": ["s3:GetObject"], "Resource": "*"}]},
])
def test_edge_values(value):
    for ensure_ascii in (True, False):
        assert dumps(value, ensure_ascii=ensure_ascii) == json.dumps(value, indent=2, ensure_ascii=ensure_ascii)


@pytest.mark.parametrize("value", [object(), [1, object()], {"a": {1, 2}}, {(1, 2): "tuple key"}])
def test_what_json_refuses_is_a_type_error(value):
    with pytest.raises(TypeError):
        json.dumps(value, indent=2)
    with pytest.raises(TypeError):
        dumps(value)
