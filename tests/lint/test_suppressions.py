"""Suppressions: in the org file next to the entry, in CloudFormation Metadata, in .policygen.yaml found
upward; each with a reason; expired ones become findings, unmatched ones are reported."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REFERENCE

FAILING_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "ReadAnything", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


def lint(*args, cwd=None) -> tuple[int, dict]:
    from click.testing import CliRunner

    from policygen.cli.main import cli

    result = CliRunner().invoke(cli, ["lint", "--format", "json", "--today", "2026-11-22", *map(str, args)],
                                standalone_mode=False)
    if result.exception:
        raise result.exception
    return result.return_value, json.loads(result.output)


def rules_of(report) -> list[tuple[str, int]]:
    return sorted((f["rule"], f["line"]) for f in report["findings"])


# A service without a documented source condition, so its trust draws LP116 (the reference's own trusts no longer do).
UNPINNED = "    trusted_services: [glue.amazonaws.com]\n"


def _org_with(tmp_path, block: str):
    text = REFERENCE.read_text().replace("    trusted_services: [codebuild.amazonaws.com]\n", UNPINNED, 1)
    anchor = UNPINNED
    assert anchor in text
    org = tmp_path / "org.yaml"
    org.write_text(text.replace(anchor, anchor + block, 1))
    return org, text.splitlines().index(anchor.rstrip("\n")) + 2  # line of "suppress:"


def test_org_file_suppression_hides_the_entry_finding(tmp_path):
    org, _ = _org_with(tmp_path, "    suppress:\n      - rule: LP116\n        reason: Glue trust reviewed in SEC-123\n")
    _, report = lint("--select", "LP116", org)
    assert all("ci-pipeline" not in f["related"][0]["file"] for f in report["findings"])
    assert len(report["findings"]) == 0  # Lambda trusts are not reported: Lambda sets no source key


def test_expired_org_suppression_becomes_a_finding(tmp_path):
    org, line = _org_with(tmp_path, "    suppress:\n      - rule: LP116\n        reason: Glue trust reviewed in SEC-123\n"
                                    "        expires: 2026-01-31\n")
    code, report = lint("--select", "LP116", org)
    assert ("PG001", line + 1) in rules_of(report)
    assert any("ci-pipeline" in f["related"][0]["file"] for f in report["findings"] if f["rule"] == "LP116")
    assert code == 1  # PG001 is an error


def test_unmatched_org_suppression_is_reported(tmp_path):
    org, line = _org_with(tmp_path, "    suppress:\n      - rule: LP101\n        reason: nothing here uses wildcards\n")
    _, report = lint(org)
    assert ("PG003", line + 1) in rules_of(report)


def test_suppression_without_reason_is_rejected(tmp_path):
    org, line = _org_with(tmp_path, "    suppress:\n      - rule: LP116\n")
    from policygen.cli.main import main

    assert main(["lint", str(org)]) == 2


CFN = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Metadata:
      policygen:
        suppress:
          - rule: LP112
            reason: break-glass role, reviewed quarterly
            expires: {expires}
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
  Other:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
"""


@pytest.mark.parametrize("expires, expected", [
    ("2027-01-01", [("LP112", 26)]),
    ("2026-11-21", [("LP112", 17), ("LP112", 26), ("PG001", 8)]),
], ids=["live", "expired"])
def test_cloudformation_metadata_suppression_covers_its_resource_only(tmp_path, expires, expected):
    template = tmp_path / "t.yaml"
    template.write_text(CFN.format(expires=expires))
    _, report = lint("--select", "LP112", template)
    assert rules_of(report) == expected


def test_config_file_found_upward_matches_by_rule_and_glob(tmp_path, monkeypatch):
    (tmp_path / "legacy" / "iam").mkdir(parents=True)
    (tmp_path / "new").mkdir()
    for folder in ("legacy/iam", "new"):
        (tmp_path / folder / "reader.json").write_text(json.dumps(FAILING_POLICY, indent=2))
    (tmp_path / ".policygen.yaml").write_text(
        "suppressions:\n"
        "  - rule: LP112\n    paths: [legacy/*]\n    reason: written before the platform, replaced in Q3\n"
        "  - rule: LP1*\n    paths: [nowhere/*]\n    reason: a stale entry nobody cleaned up\n"
    )
    monkeypatch.chdir(tmp_path / "legacy" / "iam")  # the config is two folders up
    _, report = lint("--select", "LP112", tmp_path)
    found = [(f["rule"], f["file"].split(str(tmp_path))[-1], f["line"]) for f in report["findings"]]
    # the legacy finding is hidden; the new one is not (line 8 is its "Resource": "*"); the second entry matches nothing
    assert sorted(found) == [("LP112", "/new/reader.json", 8), ("PG003", "/.policygen.yaml", 5)]


def test_config_errors_are_located(tmp_path, monkeypatch, capsys):
    (tmp_path / ".policygen.yaml").write_text("suppressions:\n  - rule: LP112\n    paths: [x]\n    reason: short\n")
    (tmp_path / "p.json").write_text(json.dumps(FAILING_POLICY))
    monkeypatch.chdir(tmp_path)
    from policygen.cli.main import main

    assert main(["lint", "p.json"]) == 2
    assert ".policygen.yaml:4:" in capsys.readouterr().err
