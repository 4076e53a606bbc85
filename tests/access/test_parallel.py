"""`--jobs`: the access graph and the document rules give the same results in forked workers as in
one process, in the same order. The threshold below which work stays in-process is lowered so
that the small reference build is split too."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from policygen import parallel
from policygen.access.graph import build_graph
from policygen.access.world import world_from
from policygen.iamdb import load
from policygen.ingest.collect import collect
from policygen.lint.engine import load_rules
from policygen.lint.rule import CorpusRule, PairHit
from policygen.lint.run import LintOptions, run, run_with_view
from policygen.model.finding import Location

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


# lint's one map: documents, corpus rules and the graph's pairs share the workers ------------------
class _Where(CorpusRule):
    """Reports the process it ran in, and the number of edges it saw when it reads the graph."""

    severity = "info"
    fix = summary = url = "-"

    def __init__(self, rule_id: str, **flags):
        self.id = rule_id
        for name, value in flags.items():
            setattr(self, name, value)

    def check_world(self, world, ctx):
        edges = len(ctx.graph) if self.reads_graph else -1
        yield PairHit(f"pid {os.getpid()} edges {edges}", Location("where.txt", 1))


def _messages(report, rule_id: str) -> list[str]:
    return [f.message for f in report.findings if f.rule == rule_id]


def test_rules_that_share_work_or_read_the_graph_run_here_after_the_graph(split_everything):
    # eight of them: were the flag ignored, each would land in a worker about every other time
    parent_only = [_Where(f"ZZ91{i}", runs_in_parent=True) for i in range(8)]
    rules = [*load_rules(), _Where("ZZ901"), *parent_only, _Where("ZZ903", reads_graph=True)]
    linted = run_with_view(LintOptions(jobs=2, rules=rules, find_config=False), [str(ROOT / "out")])
    here = f"pid {os.getpid()} "
    assert [m for r in parent_only for m in _messages(linted.report, r.id)] == [here + "edges -1"] * 8
    # the graph the map computed is the one the view hands on, and the one build_graph computes
    assert linted.access is not None and linted.access.has_graph
    edges = build_graph(linted.access.world, linted.catalogue, jobs=1)
    assert len(edges) > 50 and linted.access.graph == edges
    assert _messages(linted.report, "ZZ903") == [here + f"edges {len(edges)}"]
    assert len(_messages(linted.report, "ZZ901")) == 1  # it ran once, in whichever process claimed it


def test_a_slow_item_does_not_change_the_order(split_everything):
    def work(i: int) -> int:
        if i == 0:
            time.sleep(0.5)  # the process that claims the first chunk is busy; the other takes the rest
        return 3 * i

    assert parallel.indexed_map(work, 300, 2, "uneven") == [3 * i for i in range(300)]


def test_findings_of_a_hand_edited_build_are_the_same_in_two_processes(split_everything, tmp_path):
    build = tmp_path / "out"
    shutil.copytree(ROOT / "out", build)
    template = next(p for p in sorted((build / "templates").glob("*.yaml")) if "aws:PrincipalArn" in p.read_text())
    template.write_text(template.read_text().replace("aws:PrincipalArn", "aws:PrincipalTag/unused"))
    one = run(LintOptions(jobs=1, find_config=False), [str(build)])
    two = run(LintOptions(jobs=2, find_config=False), [str(build)])
    assert any(f.rule.startswith("XA") for f in one.findings)
    assert one.findings == two.findings


def test_a_graph_that_fails_in_the_map_is_the_reading_rule_s_reported_crash(split_everything, monkeypatch):
    """As when XA207 computed the graph itself: a failure is its PG002 finding, and the other rules' findings stand."""
    from policygen.access import graph

    def broken(self, i):
        raise RuntimeError("an evaluation that fails")

    monkeypatch.setattr(graph.GraphWork, "edges_of", broken)
    monkeypatch.setattr(graph, "_edges", lambda *args: broken(None, 0))  # the rule's own attempt fails the same way
    report = run(LintOptions(jobs=2, find_config=False), [str(ROOT / "out")])
    crashed = [f for f in report.findings if f.rule == "PG002"]
    assert crashed and all("XA207" in f.message and "an evaluation that fails" in f.message for f in crashed)
