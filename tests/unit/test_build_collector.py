"""build_text runs with the cyclic garbage collector off (generate/build.py says why) and leaves it as it was."""

from __future__ import annotations

import gc

import pytest

from policygen.errors import InputError
from policygen.generate import build


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_off_during_the_build_and_on_again_after(collector_on, monkeypatch, reference_text):
    seen = []
    compile_org = build.compile_org
    monkeypatch.setattr(build, "compile_org", lambda *a, **k: (seen.append(gc.isenabled()), compile_org(*a, **k))[1])
    result = build.build_text(reference_text, "reference-org.yaml")
    assert result.artifacts and seen == [False]
    assert gc.isenabled()


def test_on_again_after_a_build_that_fails(collector_on):
    with pytest.raises(InputError):
        build.build_text("version: 1\naccounts: 3\n", "bad.yaml")
    assert gc.isenabled()


def test_left_off_if_it_was_off(collector_on, reference_text):
    gc.disable()
    build.build_text(reference_text, "reference-org.yaml")
    assert not gc.isenabled()
