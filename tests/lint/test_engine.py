"""Engine behaviour: a crashing rule becomes a finding and the run goes on; rule ids are unique."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest

from policygen.errors import PolicygenError
from policygen.lint.engine import load_rules, select_rules
from policygen.lint.rule import CorpusRule, Rule
from policygen.lint.run import LintOptions, run
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "rules" / "DP302" / "fail.yaml"
TODAY = dt.date(2026, 11, 22)


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
    findings = run(LintOptions(rules=rules, today=TODAY, find_config=False), [str(FIXTURE)]).findings
    assert {f.rule for f in findings} == {"PG002", "DP302"}
    crash = next(f for f in findings if f.rule == "PG002")
    assert "SY099" in crash.message and "KeyError" in crash.message and crash.file == str(FIXTURE)


class RaisesPolicygenError(Broken):
    """Fails with the tool's own error type, which used to stop the whole run.

    **Anti-pattern**: none. **Best practice**: none.
    """

    id = "SY098"

    def check(self, doc, ctx):
        raise PolicygenError("a domain error inside a rule")


class BrokenCorpusRule(CorpusRule):
    """A cross-document rule that fails.

    **Anti-pattern**: none. **Best practice**: none.
    """

    id = "XA299"
    summary = "broken corpus rule"

    def check_world(self, world, ctx):
        raise RuntimeError("world boom")


def test_a_rule_raising_policygen_error_is_a_finding_at_the_document_and_the_run_goes_on():
    rules = [RaisesPolicygenError(), *select_rules(load_rules(), ["DP302"], None)]
    report = run(LintOptions(rules=rules, today=TODAY, find_config=False), [str(FIXTURE)])
    crash = [f for f in report.findings if f.rule == "PG002"]
    assert len(crash) == 1 and "SY098" in crash[0].message and "PolicygenError" in crash[0].message
    assert crash[0].file == str(FIXTURE) and crash[0].line > 1  # at the document's Statement, not line 1
    assert "DP302" in {f.rule for f in report.findings}
    assert report.exit_code == 1


def test_a_crashing_cross_document_rule_is_reported_at_the_organization_file():
    org = ROOT / "policygen" / "data" / "reference-org.yaml"
    report = run(LintOptions(rules=[BrokenCorpusRule()], today=TODAY, find_config=False), [str(org)])
    crash = [f for f in report.findings if f.rule == "PG002"]
    assert len(crash) == 1 and "XA299" in crash[0].message and "RuntimeError" in crash[0].message
    assert crash[0].file == str(org)


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
