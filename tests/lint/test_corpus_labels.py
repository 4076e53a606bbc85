"""The labeled lint corpus (benchmarks/corpus/) is well formed. The score itself is not asserted here:
benchmarks/corpus_score.py prints it."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest
import yaml

from tests.conftest import ROOT

CORPUS = ROOT / "benchmarks" / "corpus"
LABELS = CORPUS / "labels.yaml"
KINDS = {"template", "sam", "policy", "scp-rcp", "trust"}
SUFFIXES = {".json", ".yaml", ".yml", ".template"}


@pytest.fixture(scope="module")
def cases() -> dict:
    data = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("cases"), dict), "labels.yaml needs a 'cases' mapping"
    return data["cases"]


@pytest.fixture(scope="module")
def rule_ids() -> set[str]:
    """The ids `policygen rules` prints."""
    from policygen.cli.main import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["rules"]) == 0
    return {line.split()[0] for line in out.getvalue().splitlines() if line.strip()}


def _case_files() -> set[str]:
    return {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*")
            if p.is_file() and p.suffix in SUFFIXES and p != LABELS}


def test_every_file_has_a_label_and_every_label_a_file(cases):
    files = _case_files()
    assert sorted(files - set(cases)) == [], "case files without a label"
    assert sorted(set(cases) - files) == [], "labels without a case file"


def test_enough_cases_of_both_classes(cases):
    labels = [entry.get("label") for entry in cases.values()]
    assert len(cases) >= 150
    assert labels.count("clean") > 0 and labels.count("bad") > 0


def test_each_label_is_complete(cases):
    for path, entry in cases.items():
        assert isinstance(entry, dict), path
        assert entry.get("label") in ("clean", "bad"), path
        assert entry.get("kind") in KINDS, path
        assert str(entry.get("why") or "").strip(), f"{path}: say why"
        assert str(entry.get("doc") or "").startswith("https://"), f"{path}: the documentation the pattern rests on"
        if entry["label"] == "clean":
            assert not entry.get("rules"), f"{path}: a clean case expects no rule"
        else:
            assert isinstance(entry.get("rules"), list), f"{path}: a bad case lists its expected rules (may be empty)"


def test_expected_rules_exist(cases, rule_ids):
    unknown = {path: sorted(set(entry.get("rules") or []) - rule_ids) for path, entry in cases.items()}
    assert {path: ids for path, ids in unknown.items() if ids} == {}
