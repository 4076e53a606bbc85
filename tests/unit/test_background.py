"""parallel.Background: one computation in a forked child (the build's workflow calls), with the same
result as computing it here, whatever happens to the child."""

from __future__ import annotations

import os
import time

import pytest

from policygen import parallel
from policygen.generate.build import build_file
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="fork does not exist on this platform")


def test_the_result_comes_from_a_child():
    here = os.getpid()
    with parallel.Background(lambda: (os.getpid(), [1, {"a": "b"}]), jobs=2) as pending:
        pid, value = pending.result()
    assert pid != here and value == [1, {"a": "b"}]


def test_one_job_computes_here():
    with parallel.Background(os.getpid, jobs=1) as pending:
        assert pending.pid is None
        assert pending.result() == os.getpid()


def test_a_failing_child_is_replaced_by_computing_here():
    here = os.getpid()

    def only_here():
        if os.getpid() != here:
            raise RuntimeError("the child fails")
        return "computed here"

    with parallel.Background(only_here, jobs=2) as pending:
        assert pending.pid is not None
        assert pending.result() == "computed here"


def test_an_error_is_raised_here_as_without_the_child():
    def broken():
        raise ValueError("bad input")

    with parallel.Background(broken, jobs=2) as pending, pytest.raises(ValueError, match="bad input"):
        pending.result()


def test_a_child_nobody_waits_for_is_stopped():
    with parallel.Background(lambda: time.sleep(60), jobs=2) as pending:
        child = pending.pid
        assert child is not None
    started = time.monotonic()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped already: no such child
    assert time.monotonic() - started < 5


def test_the_build_is_the_same_with_one_process_and_two(tmp_path, monkeypatch):
    org = ROOT / "policygen" / "data" / "reference-org.yaml"
    one = build_file(org, tmp_path / "one", jobs=1).files
    children = []
    plain = parallel.Background.result
    monkeypatch.setattr(parallel.Background, "result", lambda self: children.append(self.pid) or plain(self))
    two = build_file(org, tmp_path / "two", jobs=2).files
    assert children and children[0] is not None  # the calls came from a child
    assert len(one) > 20 and one == two
    assert b'"coverage"' in one["manifest.json"]
