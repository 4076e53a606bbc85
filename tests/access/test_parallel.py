"""`--jobs`: the access graph and the document rules give the same results in forked workers as in
one process, in the same order. The threshold below which work stays in-process is lowered so
that the small reference build is split too."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygen import parallel
from policygen.access.graph import build_graph
from policygen.access.world import world_from
from policygen.iamdb import load
from policygen.ingest.collect import collect
from policygen.lint.run import LintOptions, run

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "benchmarks" / "corpus"


@pytest.fixture
def split_everything(monkeypatch):
    monkeypatch.setattr(parallel, "MINIMUM_ITEMS", 4)


def test_indexed_map_keeps_order_across_workers(split_everything):
    assert parallel.indexed_map(lambda i: i * i, 101, 2, "squares") == [i * i for i in range(101)]


def test_graph_is_the_same_in_two_processes(split_everything):
    world, catalogue = world_from(collect([str(ROOT / "out")])), load()
    one = build_graph(world, catalogue, jobs=1, same_account_stand_ins=True)
    two = build_graph(world, catalogue, jobs=2, same_account_stand_ins=True)
    assert len(one) > 50
    assert one == two


def test_findings_are_the_same_in_two_processes(split_everything):
    inputs = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".json", ".yaml", ".yml"))[:120]
    one = run(LintOptions(jobs=1, skip_unrecognised=True), inputs)
    two = run(LintOptions(jobs=2, skip_unrecognised=True), inputs)
    assert len(one.findings) > 20
    assert one.findings == two.findings
