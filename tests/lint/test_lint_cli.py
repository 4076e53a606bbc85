"""`policygen lint` end to end: the reference lints clean, broken copies are caught where they break,
exit codes, and no traceback on any input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policygen.cli.main import main
from tests.conftest import REFERENCE, ROOT
from tests.lint import template_edit

OUT = ROOT / "out"


def lint(*args) -> tuple[int, dict]:
    """Run the CLI in-process with --format json; return the exit code and the parsed report."""
    from click.testing import CliRunner

    from policygen.cli.main import cli

    result = CliRunner().invoke(cli, ["lint", "--format", "json", *map(str, args)], standalone_mode=False)
    if result.exception:
        raise result.exception
    return result.return_value, json.loads(result.output)


@pytest.mark.parametrize("target", [OUT, REFERENCE, OUT / "templates", OUT / "stacksets"],
                         ids=["build-dir", "org-file", "templates", "stackset"])
def test_reference_lints_without_errors_or_warnings(target):
    code, report = lint("--fail-on", "warning", target)
    assert report["summary"]["error"] == 0 and report["summary"]["warning"] == 0, report["findings"]
    assert code == 0


def _copy(tmp_path: Path) -> Path:
    build = tmp_path / "out"
    shutil.copytree(OUT, build)
    return build


def _broken_template(tmp_path: Path, template: str, edit) -> Path:
    """A copy of the reference build whose template (what CloudFormation deploys) was edited by hand."""
    build = _copy(tmp_path)
    path = build / template
    path.write_text(edit(path.read_text()))
    return build


def _drop_tls_deny(text):
    return template_edit.drop_statement(text, "BucketModelsPolicy", "DenyInsecureTransport")


def _drop_passed_to_service(text):
    return template_edit.drop_key(text, "PolicyAWSCloudFormationStackSetExecutionRolePolicy",
                                  "PassModelExecutionRoleToSageMaker", "Condition")


def _principal_to_star(text):
    text = template_edit.replace_block(text, "RepositoryInferenceImages", "CrossAccountReadImages", "Principal", '"*"')
    return template_edit.drop_key(text, "RepositoryInferenceImages", "CrossAccountReadImages", "Condition")


@pytest.mark.parametrize("template, edit, rule", [
    ("templates/dev.yaml", _drop_tls_deny, "DP302"),
    ("templates/prod.yaml", _drop_passed_to_service, "LP104"),
    ("templates/shared.yaml", _principal_to_star, "DP301"),
], ids=["tls-deny-removed", "passed-to-service-dropped", "principal-star"])
def test_hand_broken_template_is_caught(tmp_path, template, edit, rule):
    build = _broken_template(tmp_path, template, edit)
    code, report = lint("--fail-on", "warning", build)  # DP302 and LP104 are warnings (docs/rules.md, severity model)
    assert code == 1
    found = [f for f in report["findings"] if f["rule"] == rule]
    assert found and all(f["file"] == f"{build.as_posix()}/{template}" for f in found)
    # The manifest names the org file relative to the build; a copied build points beside the copy.
    origin = f"{build.parent.as_posix()}/policygen/data/reference-org.yaml"
    assert all(f["origin"]["file"] == origin and f["origin"]["line"] > 1 for f in found)
    # Edited after the build (PG004), and the JSON copy no longer says what the template deploys (PG007).
    assert {f["rule"] for f in report["findings"] if f["severity"] == "warning"} - {rule} == {"PG004", "PG007"}


def test_an_edit_to_a_json_copy_alone_changes_no_access_and_is_reported(tmp_path):
    build = _copy(tmp_path)
    copy = build / "policies/dev/bucket-policy/models.json"
    policy = json.loads(copy.read_text())
    policy["Statement"] = [s for s in policy["Statement"] if s["Sid"] != "DenyInsecureTransport"]
    copy.write_text(json.dumps(policy, indent=2))
    code, report = lint(build)
    assert code == 0  # the template still deploys the TLS deny
    assert {(f["rule"], f["file"]) for f in report["findings"] if f["severity"] != "info"} == {
        ("PG004", f"{build.as_posix()}/policies/dev/bucket-policy/models.json"),
        ("PG007", f"{build.as_posix()}/policies/dev/bucket-policy/models.json")}


def test_finding_points_at_the_statement_line_in_the_template(tmp_path):
    build = _broken_template(tmp_path, "templates/prod.yaml", _drop_passed_to_service)
    _, report = lint(build)
    finding = next(f for f in report["findings"] if f["rule"] == "LP104")
    lines = (build / "templates/prod.yaml").read_text().splitlines()
    assert "iam:PassRole" in lines[finding["line"] - 1]
    org_line = REFERENCE.read_text().splitlines()[finding["origin"]["line"] - 1]
    assert "deployment" in org_line or "targets" in org_line or "stackset" in org_line, org_line


def test_org_file_findings_point_at_the_org_file(tmp_path):
    org = tmp_path / "org.yaml"
    text = REFERENCE.read_text().replace("[codebuild.amazonaws.com]", "[glue.amazonaws.com]")  # no source key: LP116
    org.write_text(text)
    _, report = lint("--select", "LP116", org)
    assert report["findings"]
    for f in report["findings"]:
        assert f["file"] == str(org) and f["origin"]["line"] == f["line"]
        assert f["related"][0]["file"].startswith("(generated) policies/")


def test_fail_on_threshold(tmp_path):
    assert lint("--fail-on", "info", OUT)[0] == 0  # the reference build has no finding at all
    org = tmp_path / "org.yaml"
    org.write_text(REFERENCE.read_text().replace("[codebuild.amazonaws.com]", "[glue.amazonaws.com]"))
    assert lint("--fail-on", "error", org)[0] == 0
    assert lint("--fail-on", "info", org)[0] == 1  # an unpinned Glue trust is an info finding (LP116)


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "policygen", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("name, content, expected", [
    ("bad.json", '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}\n', ":4:"),
    ("bad.yaml", "Resources:\n  A:\n    Type: [\n", ":4:"),
    ("binary.json", b"\xff\xfe\x00garbage", "not UTF-8"),
    ("dup.json", '{"Statement": [], "Statement": []}', "duplicate key 'Statement'"),
    ("other.json", '{"name": "not a policy"}', "not an organization file, CloudFormation template, policy document"),
    ("empty.yaml", "", "not an organization file"),
], ids=["json-syntax", "yaml-syntax", "binary", "duplicate-key", "unrecognised", "empty"])
def test_unreadable_input_exits_2_with_location(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run("lint", path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert expected in result.stderr and str(path) in result.stderr


def test_missing_path_exits_2(tmp_path, capsys):
    assert main(["lint", str(tmp_path / "nope.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_folder_is_walked_recursively_and_kinds_detected(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "trust.json").write_text(json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}))
    (tmp_path / "a" / "bucket.json").write_text(json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}))
    (tmp_path / "notes.txt").write_text("ignored")
    (tmp_path / "package.json").write_text('{"name": "ignored"}')
    code, report = lint(tmp_path)
    rules = {(Path(f["file"]).name, f["rule"]) for f in report["findings"]}
    assert ("trust.json", "LP111") in rules  # detected as a trust policy
    assert ("bucket.json", "DP301") in rules and ("bucket.json", "DP302") in rules  # detected as a bucket policy
    assert code == 1 and len(report["inputs"]) == 2


def test_kind_option_overrides_detection(tmp_path):
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}))
    _, detected = lint("--select", "SY013", policy)  # all-Deny without Principal reads as an SCP
    assert detected["findings"] == []
    _, forced = lint("--select", "SY013", "--kind", "bucket-policy", policy)
    assert [f["rule"] for f in forced["findings"]] == ["SY013"]


def test_output_option_writes_the_report(tmp_path):
    target = tmp_path / "report.json"
    assert main(["lint", "--format", "json", "--output", str(target), str(OUT)]) == 0
    assert json.loads(target.read_text())["summary"]["error"] == 0
