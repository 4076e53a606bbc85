"""The review reads, evaluates and graphs its inputs once: the lint run's world and graph are the report's."""

from __future__ import annotations

import policygen.access.world as world
import policygen.ingest.collect as collect_module
import policygen.lint.run as lint_run
from policygen.access.graph import GraphWork
from policygen.cli.main import main
from policygen.lint.run import LintOptions, run, run_with_view
from tests.report.conftest import OUT


def _counting(monkeypatch, module, name: str) -> list:
    calls: list = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def _counting_plans(monkeypatch) -> list:
    """Each plan of the graph's pairs: build_graph's, or lint's map's (access.view.graph_work); each is evaluated once."""
    calls: list = []
    original = GraphWork.plan.__func__

    def counted(cls, *args, **kwargs):
        calls.append(args)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(GraphWork, "plan", classmethod(counted))
    return calls


def test_report_builds_the_graph_and_reads_the_build_once(tmp_path, monkeypatch, capsys):
    graphs = _counting_plans(monkeypatch)
    reads = _counting(monkeypatch, collect_module, "collect")  # where the report would read by itself
    lint_reads = _counting(monkeypatch, lint_run, "collect")
    page = tmp_path / "review.html"
    assert main(["report", str(OUT), "-o", str(page), "--config", str(_empty_config(tmp_path))]) == 0
    assert len(graphs) == 1 and len(reads) + len(lint_reads) == 1
    assert 'id="review-data"' in page.read_text()


def test_run_with_view_hands_back_what_run_reports(tmp_path):
    options = LintOptions(config_path=str(_empty_config(tmp_path)))
    linted = run_with_view(options, [str(OUT)])
    plain = run(options, [str(OUT)])
    assert linted.report.findings == plain.findings and linted.report.files == plain.files
    access = linted.full_access()
    assert access is linted.access and isinstance(access.world, world.World)
    assert access.graph and len(linted.corpus.docs) == linted.report.documents


def _empty_config(tmp_path):
    config = tmp_path / ".policygen.yaml"
    config.write_text("{}\n")
    return config
