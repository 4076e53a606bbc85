"""lint.early: document rules checked in forked children while a build is still read give exactly the
findings the map gives, and a child that fails, or checked against other accounts, changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policygen.iamdb import load
from policygen.ingest.collect import collect
from policygen.lint import early
from policygen.lint.engine import context_for, load_rules
from policygen.lint.run import LintOptions, run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(early, "MINIMUM_BATCH", 3)
    monkeypatch.setattr(early, "MAXIMUM_BATCH", 7)


@pytest.fixture
def edited_build(tmp_path) -> Path:
    """The reference build with hand edits that several document rules report."""
    build = tmp_path / "out"
    shutil.copytree(ROOT / "out", build)
    for template in sorted((build / "templates").glob("*.yaml")):
        text = template.read_text()
        template.write_text(text.replace("s3:GetObject\n", "s3:*\n").replace("Resource: arn:aws:s3:::", "Resource: arn:aws:s3:::*"))
    return build


def _checked(build: Path, jobs: int):
    rules, catalogue = load_rules(), load()
    checks = early.EarlyChecks(rules, lambda: catalogue, {}, jobs)
    corpus = collect([str(build)], None, False, [], checks.take)
    ctx = context_for(corpus, rules, catalogue, jobs=jobs)
    try:
        return corpus, ctx, checks.results(ctx)
    finally:
        checks.close()


def test_findings_are_those_of_one_process(small_batches, edited_build):
    one = run(LintOptions(jobs=1, find_config=False), [str(edited_build)])
    two = run(LintOptions(jobs=2, find_config=False), [str(edited_build)])
    assert len(one.findings) > 10 and {f.rule for f in one.findings} & {"LP101", "LP102", "LP112", "SY017"}
    assert one.findings == two.findings
    corpus, _, checked = _checked(edited_build, 2)
    assert 0 < len(checked) <= len(corpus.docs)  # children did check documents (and only the build's)
    assert all(doc in corpus.docs for doc, _ in checked.values())


def test_one_job_forks_nothing(small_batches, edited_build):
    assert _checked(edited_build, 1)[2] == {}


def test_a_failing_child_leaves_its_documents_to_the_map(small_batches, edited_build, monkeypatch):
    expected = run(LintOptions(jobs=1, find_config=False), [str(edited_build)])

    def broken(doc, ctx, rules):
        raise RuntimeError("a child that cannot finish")

    monkeypatch.setattr(early, "doc_findings", broken)  # only the children call this name
    _, _, checked = _checked(edited_build, 2)
    assert checked == {}
    assert run(LintOptions(jobs=2, find_config=False), [str(edited_build)]).findings == expected.findings


def test_results_checked_against_other_accounts_are_not_used(small_batches, edited_build):
    rules, catalogue = load_rules(), load()
    checks = early.EarlyChecks(rules, lambda: catalogue, {}, 2)
    corpus = collect([str(edited_build)], None, False, [], checks.take)
    other = context_for(corpus, rules, catalogue, accounts={"999999999999": "elsewhere"}, jobs=2)
    try:
        assert checks.results(other) == {}
    finally:
        checks.close()


def test_a_fork_that_fails_leaves_everything_to_the_map(small_batches, edited_build, monkeypatch):
    expected = run(LintOptions(jobs=1, find_config=False), [str(edited_build)])

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(early.os, "fork", no_fork)
    assert _checked(edited_build, 2)[2] == {}
    assert run(LintOptions(jobs=2, find_config=False), [str(edited_build)]).findings == expected.findings
