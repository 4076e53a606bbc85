"""Findings carry the column of what they point at, into SARIF, text, JSON and JUnit; baselines ignore it.

Expected places are looked up in the input text, so an assertion fails when a column is off or missing.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from policygen.cli.main import cli
from policygen.errors import InputError
from policygen.lint.engine import load_rules, select_rules, unreadable_finding
from policygen.lint.result import Report
from policygen.lint.rule import Hit, Rule
from policygen.lint.run import LintOptions, run
from policygen.parse.located import parse
from policygen.report import json_format, junit, sarif, text
from tests.conftest import ROOT

TODAY = dt.date(2026, 11, 22)

TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Everything: {Type: String, Default: "*"}
Resources:
  Wide:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [s3:GetObject]
            Resource: [!Ref Everything]
          - Effect: Allow
            Action: "*"
            Resource: "*"
"""


def _at(source: str, needle: str) -> tuple[int, int]:
    index = source.index(needle)
    return source.count("\n", 0, index) + 1, index - (source.rfind("\n", 0, index) + 1) + 1


def _lint(fmt: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["lint", "--format", fmt, *args], standalone_mode=False)
    if result.exception:
        raise result.exception
    return result.output


@pytest.fixture()
def template(tmp_path):
    path = tmp_path / "wide.yaml"
    path.write_text(TEMPLATE)
    return path


def test_a_template_finding_has_its_exact_column_in_sarif_and_text(template):
    line, col = _at(TEMPLATE, 'Action: "*"')  # LP101 points at the "*" of the second statement's Action
    col += len("Action: ")
    results = json.loads(_lint("sarif", "--select", "LP101", str(template)))["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"] for r in results] == [{"startLine": line, "startColumn": col}]
    rows = [r for r in _lint("text", "--select", "LP101", str(template)).splitlines() if "LP101" in r]
    assert rows and rows[0].split()[:3] == [f"{line}:{col}", "error", "LP101"]


def test_a_value_resolved_from_an_intrinsic_keeps_the_intrinsics_column(template):
    """!Ref is substituted and flattened before the rules see it: the rebuilt tree must keep the place."""
    findings = json.loads(_lint("json", "--select", "LP112", str(template)))["findings"]
    line, col = _at(TEMPLATE, "!Ref Everything")
    assert ("LP112", line, col) in [(f["rule"], f["line"], f["column"]) for f in findings]


class LineOnly(Rule):
    """Reports every statement by its line alone, and one line inside it that nothing starts on.

    **Anti-pattern**: none. **Best practice**: none.
    """

    id = "SY097"
    summary = "line only"

    def check_statement(self, statement, doc, ctx):
        yield Hit("at the statement", statement.line, statement)
        yield Hit("at a line with nothing of the statement", statement.line - 1, statement)


POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
  ]
}
"""


def test_a_hit_with_a_line_only_gets_the_statements_column_on_its_line(tmp_path):
    path = tmp_path / "identity-policy.json"
    path.write_text(POLICY)
    findings = run(LintOptions(rules=[LineOnly()], today=TODAY, find_config=False, kind="identity-policy"), [str(path)]).findings
    columns = {f.message: (f.line, f.column) for f in findings if f.rule == "SY097"}
    assert columns == {"at the statement": _at(POLICY, '{"Effect"'), "at a line with nothing of the statement": (3, None)}


def test_a_cross_document_finding_has_the_column_of_the_statement_it_names():
    fixture = ROOT / "tests" / "fixtures" / "rules" / "XA201" / "fail"
    data = (fixture / "data-account.yaml").read_text()
    rules = select_rules(load_rules(), ["XA201"], None)
    findings = run(LintOptions(rules=rules, today=TODAY, find_config=False), [str(fixture)]).findings
    line, col = _at(data, "Statement:  # <- XA201")
    assert [(f.rule, f.line, f.column) for f in findings] == [("XA201", line, col)]


def test_a_column_change_keeps_the_baseline_fingerprint(tmp_path):
    """Fingerprints survive line moves; they must survive re-indentation (a column move) too."""
    moved = POLICY.replace('      {"Effect"', '  {"Effect"')
    marks = []
    path = tmp_path / "identity-policy.json"
    for body in (POLICY, moved):  # one file, edited: the fingerprint names the file
        path.write_text(body)
        findings = run(LintOptions(rules=select_rules(load_rules(), ["LP112"], None), today=TODAY, find_config=False,
                                   kind="identity-policy"), [str(path)]).findings
        marks.append([(f.line, f.column, f.fingerprint) for f in findings])
    (line_a, col_a, mark_a), = marks[0]
    (line_b, col_b, mark_b), = marks[1]
    assert line_a == line_b and col_a != col_b and col_a and col_b  # the same finding, at another column
    assert mark_a == mark_b


def _unreadable(source: str, name: str):
    with pytest.raises(InputError) as caught:
        parse(source, name)
    return unreadable_finding(caught.value.problems[0])


@pytest.mark.parametrize("source, where", [
    ('{\n  "a": 1,\n  "b" 2\n}\n', (3, 7)),  # JSON: the colon is missing before 2
    ("a: 1\nb: [1, 2\nc: 3\n", (3, 2)),  # YAML: a flow sequence left open
])
def test_sy000_carries_the_parse_errors_line_and_column(source, where):
    finding = _unreadable(source, "bad.json" if source.startswith("{") else "bad.yaml")
    assert finding.rule == "SY000" and (finding.line, finding.column) == where
    report = Report([finding], [], [finding.file], "c", "0")
    region = json.loads(sarif.render(report))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": where[0], "startColumn": where[1]}
    assert f"{where[0]}:{where[1]}  error   SY000" in text.render(report)


def test_json_and_junit_carry_the_column_only_when_known(template):
    from policygen.model.finding import Finding, Location

    known = Finding("LP101", "error", "m", Location("f.yaml", 3), column=7)
    unknown = Finding("LP112", "error", "n", Location("f.yaml", 4))
    report = Report([known, unknown], [], ["f.yaml"], "c", "0")
    rows = json.loads(json_format.render(report))["findings"]
    assert [r.get("column") for r in rows] == [7, None] and "column" not in rows[1]
    root = ET.fromstring(junit.render(report).split("?>", 1)[1])
    messages = {f.get("message") for f in root.iter("failure")}
    assert messages == {"m (line 3, column 7)", "n"}
    assert {c.get("name") for c in root.iter("testcase") if c.find("failure") is not None} == {"f.yaml:3", "f.yaml:4"}
    sarif_regions = [r["locations"][0]["physicalLocation"]["region"] for r in json.loads(sarif.render(report))["runs"][0]["results"]]
    assert sarif_regions == [{"startLine": 3, "startColumn": 7}, {"startLine": 4}]
