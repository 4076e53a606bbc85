"""Engine behaviour: a crashing rule becomes a finding and the run goes on; rule ids are unique."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest

from policygen.errors import PolicygenError
from policygen.lint.context import LintContext
from policygen.lint.engine import lint, load_rules, select_rules
from policygen.lint.rule import Rule
from policygen.ingest.collect import collect
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "rules" / "DP302" / "fail.yaml"


class Broken(Rule):
    """Always fails.

    **Anti-pattern**: none. **Best practice**: none.
    """

    id = "SY099"
    summary = "broken"

    def check(self, doc, ctx):
        raise KeyError("boom")


def test_a_crashing_rule_becomes_pg002_and_others_still_run():
    rules = [Broken(), *select_rules(load_rules(), ["DP302"], None)]
    findings = lint(collect([str(FIXTURE)]), LintContext(), rules, dt.date(2026, 11, 22))
    assert {f.rule for f in findings} == {"PG002", "DP302"}
    crash = next(f for f in findings if f.rule == "PG002")
    assert "SY099" in crash.message and "KeyError" in crash.message and crash.file == str(FIXTURE)


def test_duplicate_rule_ids_stop_the_run(monkeypatch):
    package = types.ModuleType("dup_rules")
    package.__path__ = []
    monkeypatch.setitem(sys.modules, "dup_rules", package)
    import pkgutil

    one, two = types.ModuleType("dup_rules.a"), types.ModuleType("dup_rules.b")
    one.RULE, two.RULE = Broken(), Broken()
    monkeypatch.setitem(sys.modules, "dup_rules.a", one)
    monkeypatch.setitem(sys.modules, "dup_rules.b", two)
    monkeypatch.setattr(pkgutil, "walk_packages", lambda path, prefix: [
        pkgutil.ModuleInfo(None, "dup_rules.a", False), pkgutil.ModuleInfo(None, "dup_rules.b", False)])
    with pytest.raises(PolicygenError, match="SY099 is defined twice"):
        load_rules("dup_rules")


def test_select_and_ignore_by_prefix():
    rules = load_rules()
    assert {r.family for r in select_rules(rules, ["DP"], None)} == {"DP"}
    assert "LP116" not in {r.id for r in select_rules(rules, None, ["LP116"])}
    assert {r.id for r in select_rules(rules, ["SY01*"], None)} == {f"SY0{n}" for n in range(10, 20)}
