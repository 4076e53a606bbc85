"""Report formats: JSON fields, SARIF 2.1.0 against the official schema, JUnit that CI systems parse, text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from tests.conftest import ROOT

SCHEMA = ROOT / ".cache" / "sarif" / "sarif-2.1.0.json"
BROKEN = ROOT / "tests" / "fixtures" / "rules"


def report(fmt: str, *paths, extra=()) -> tuple[int, str]:
    from click.testing import CliRunner

    from policygen.cli.main import cli

    result = CliRunner().invoke(cli, ["lint", "--format", fmt, *extra, *map(str, paths)], standalone_mode=False)
    if result.exception:
        raise result.exception
    return result.return_value, result.output


FAILING = [BROKEN / "DP302" / "fail.yaml", BROKEN / "LP104" / "fail.yaml", BROKEN / "SY002" / "fail.json", BROKEN / "LP101" / "fail.yaml",
           ROOT / "out"]


def test_json_has_the_documented_fields():
    _, text = report("json", *FAILING)
    data = json.loads(text)
    assert data["findings"]
    for f in data["findings"]:
        assert {"rule", "severity", "message", "file", "line"} <= set(f)
        assert isinstance(f["line"], int) and f["line"] >= 1


def test_sarif_validates_against_the_official_schema():
    assert SCHEMA.exists(), "run `make test-deps` (the Makefile's test target does) to fetch the SARIF schema"
    _, text = report("sarif", *FAILING)
    sarif = json.loads(text)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert run["results"]
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["region"]["startLine"] >= 1 and location["artifactLocation"]["uri"]
        rule = rules[result["ruleId"]]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert rule["helpUri"].startswith("https://") and rule["shortDescription"]["text"]


def test_sarif_is_also_valid_when_clean():
    _, text = report("sarif", BROKEN / "DP302" / "pass.yaml", extra=("--select", "DP302"))
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(json.loads(text))
    assert json.loads(text)["runs"][0]["results"] == []


def test_junit_counts_failures_at_the_threshold():
    code, text = report("junit", *FAILING)
    root = ET.fromstring(text.split("?>", 1)[1])
    findings = json.loads(report("json", *FAILING)[1])["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert int(root.get("failures")) == len(errors) and code == 1
    failures = root.findall(".//testcase/failure")
    assert len(failures) == len(errors)
    names = {case.get("name") for case in root.iter("testcase") if case.find("failure") is not None}
    assert {f"{f['file']}:{f['line']}" for f in errors} == names


def test_text_groups_by_file_and_summarises():
    _, text = report("text", BROKEN / "DP302" / "fail.yaml", BROKEN / "LP104" / "fail.yaml")
    lines = text.splitlines()
    headers = [line for line in lines if line and not line.startswith(" ")]
    assert headers[:2] == [str(BROKEN / "DP302" / "fail.yaml"), str(BROKEN / "LP104" / "fail.yaml")]
    assert lines[-1].startswith("2 files, 2 documents checked: ") and "; 0 suppressed (IAM catalogue: " in lines[-1]
    assert "\x1b[" not in text  # no colour when not a terminal


def test_text_uses_colour_on_a_terminal(monkeypatch):
    from policygen.model.finding import Finding, Location
    from policygen.report import text
    from policygen.lint.result import Report

    finding = Finding("DP302", "error", "m", Location("f.yaml", 3))
    coloured = text.render(Report([finding], [], ["f.yaml"], "c", "0", color=True))
    assert "\x1b[31m" in coloured


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_every_format_is_deterministic(fmt):
    assert report(fmt, *FAILING)[1] == report(fmt, *FAILING)[1]
