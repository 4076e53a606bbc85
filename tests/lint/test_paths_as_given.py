"""Findings, SARIF locations and the manifest name the organization file by the path the user gave."""

from __future__ import annotations

import json
import shutil

from policygen.cli.main import main
from tests.conftest import PACKAGED_REFERENCE
from tests.lint import template_edit



def _platform(tmp_path):
    (tmp_path / "platform").mkdir()
    org = tmp_path / "platform" / "org.yaml"
    shutil.copy(PACKAGED_REFERENCE, org)
    return org


def test_manifest_and_build_findings_name_the_org_file_by_its_path(tmp_path, monkeypatch, capsys):
    _platform(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "platform/org.yaml", "-o", "platform/out", "--no-summary"]) == 0
    manifest = json.loads((tmp_path / "platform" / "out" / "manifest.json").read_text())
    assert manifest["source"] == "../org.yaml"  # relative to the build folder, so any reader can find it
    # A hand edit to a bucket policy, linted from the repository root: the origin is platform/org.yaml.
    template = tmp_path / "platform" / "out" / "templates" / "dev.yaml"
    template.write_text(template_edit.drop_statement(template.read_text(), "BucketModelsPolicy", "DenyInsecureTransport"))
    capsys.readouterr()
    assert main(["lint", "--format", "sarif", "--fail-on", "warning", "platform/out"]) == 1  # DP302 is a warning
    sarif = json.loads(capsys.readouterr().out)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "DP302"]
    assert results
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in results for loc in r.get("relatedLocations", [])}
    assert "platform/org.yaml" in uris and "org.yaml" not in uris


def test_lint_of_an_org_file_points_at_the_path_given(tmp_path, monkeypatch, capsys):
    org = _platform(tmp_path)
    # A suppression that matches nothing (PG003) is a finding at the org file's line.
    org.write_text(org.read_text().replace("    name: sm-mlops-dev-eu-west-1-data\n",
                                           "    name: sm-mlops-dev-eu-west-1-data\n    suppress: [{rule: DP301, reason: none needed}]\n", 1))
    monkeypatch.chdir(tmp_path)
    main(["lint", "--format", "json", "platform/org.yaml"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["rule"] for f in findings] == ["PG003"]
    assert {f["file"] for f in findings} == {"platform/org.yaml"}
