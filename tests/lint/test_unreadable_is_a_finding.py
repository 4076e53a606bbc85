"""An input that cannot be read is a finding (SY000) in every format, at its parse error; the exit code stays 2."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from policygen.cli.main import main
from tests.conftest import ROOT

GOOD = ROOT / "tests" / "fixtures" / "rules" / "DP302" / "fail.yaml"  # draws a real finding too


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / "broken.json").write_text('{"Version": "2012-10-17",\n  "Statement": [\n')
    (tmp_path / "nostatement.json").write_text('{"Version": "2012-10-17"}\n')
    return tmp_path


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "text"])
def test_unreadable_inputs_are_findings_in_every_format_and_the_run_goes_on(inputs, fmt, capsys):
    code = main(["lint", "--format", fmt, str(inputs / "broken.json"), str(inputs / "nostatement.json"), str(GOOD)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "broken.json:3" in err  # the one-line message on standard error stays
    if fmt == "json":
        findings = json.loads(out)["findings"]
        unreadable = {(f["file"].rsplit("/", 1)[-1], f["line"]) for f in findings if f["rule"] == "SY000"}
        assert unreadable == {("broken.json", 3), ("nostatement.json", 1)}
        assert "DP302" in {f["rule"] for f in findings}  # the readable input was still linted
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        located = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1],
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results if r["ruleId"] == "SY000"}
        assert ("broken.json", 3) in located
    elif fmt == "junit":
        cases = [c for c in ET.fromstring(out).iter("testcase") if c.find("failure") is not None]
        assert any("SY000" in (c.get("name", "") + c.get("classname", "") + ET.tostring(c, encoding="unicode")) for c in cases)
    else:
        assert "SY000" in out and "broken.json" in out
