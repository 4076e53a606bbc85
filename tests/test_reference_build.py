"""The committed out/ is the reference build, and the reference build is correct by construction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policygen.generate.build import build_text
from policygen.checks.parliament_check import parliament_findings
from policygen.generate.quotas import LIMITS, size
from policygen.generate.writer import differences, write_build
from policygen.model.artifact import KINDS, POLICY_KINDS
from tests.conftest import PACKAGED_REFERENCE, ROOT, SHARED_REFERENCE

OUT = ROOT / "out"


def test_committed_out_is_fresh(reference_build):
    stale = differences(reference_build.files, OUT)
    assert stale == [], f"out/ is stale; run: make reference  ({stale[:10]})"


def test_packaged_starter_is_the_reference():
    if not SHARED_REFERENCE.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert PACKAGED_REFERENCE.read_text() == SHARED_REFERENCE.read_text()


def test_build_is_deterministic(reference_build):
    again = build_text(PACKAGED_REFERENCE.read_text(), str(PACKAGED_REFERENCE), ROOT / "out")
    assert again.files == reference_build.files


def test_where_the_org_file_lies_changes_only_the_manifest(reference_text, reference_build):
    elsewhere = build_text(reference_text, "elsewhere/reference-org.yaml", "elsewhere/out")
    changed = {path for path, content in elsewhere.files.items() if reference_build.files.get(path) != content}
    assert changed == {"manifest.json"}


def test_manifest_records_every_artifact(reference_build):
    manifest = json.loads(reference_build.files["manifest.json"])
    entries = {e["path"]: e for e in manifest["artifacts"]}
    assert set(entries) == set(reference_build.files) - {"manifest.json"}
    for artifact in reference_build.artifacts:
        entry = entries[artifact.path]
        assert entry["kind"] in KINDS
        assert entry["sha256"] == artifact.sha256
        assert isinstance(entry["source_line"], int) and entry["source_line"] > 0
    # the reference uses the push registry pattern, so it has no event-bus policy
    assert {e["kind"] for e in manifest["artifacts"]} == set(KINDS) - {"event-bus-policy"}


def test_every_statement_traces_to_an_org_line_and_every_wildcard_has_a_reason(reference_build):
    for artifact in reference_build.artifacts:
        if artifact.kind not in POLICY_KINDS:
            continue
        origins = {s.sid: s for s in artifact.statements}
        for st in artifact.data["Statement"]:
            origin = origins[st["Sid"]]
            assert origin.line, f"{artifact.path} {st['Sid']} has no org-file line"
            values = [st.get("Action", []), st.get("Resource", [])]
            wild = any("*" in v for group in values for v in ([group] if isinstance(group, str) else group))
            wild = wild or (st["Effect"] == "Allow" and st.get("Principal") == "*")
            assert not wild or origin.reason, f"{artifact.path} {st['Sid']} has a wildcard without a reason"


def test_every_policy_is_within_its_quota(reference_build):
    for artifact in reference_build.artifacts:
        limit = LIMITS.get(artifact.kind)
        if limit and artifact.kind in POLICY_KINDS:
            assert size(artifact.data) <= limit, artifact.path


def test_templates_pass_cfn_lint_without_errors(reference_build):
    from cfnlint.api import lint

    templates = [a for a in reference_build.artifacts if a.kind in ("cfn-template", "stackset")]
    assert len(templates) == 7
    for template in templates:
        matches = lint(template.content.decode(), regions=["eu-west-1"])
        errors = [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches if m.rule.id.startswith("E")]
        warnings = [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches if m.rule.id.startswith("W")]
        assert errors == [], template.path
        assert warnings == [], template.path


def test_policies_pass_parliament(reference_build):
    checked = 0
    for artifact in reference_build.artifacts:
        if artifact.kind in POLICY_KINDS:
            unexpected, _ = parliament_findings(artifact.kind, artifact.data)
            assert unexpected == [], artifact.path
            checked += 1
    assert checked >= 30


def test_parliament_allow_list_does_not_hide_real_findings():
    unexpected, _ = parliament_findings("identity-policy", {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Bad", "Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}],
    })
    assert any("UNKNOWN_ACTION" in f for f in unexpected)


def test_failed_build_leaves_previous_output_untouched(tmp_path, reference_build):
    out = tmp_path / "out"
    write_build(reference_build.files, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = dict(reference_build.files)
    broken["../escape.json"] = b"{}"
    with pytest.raises(Exception):
        write_build(broken, out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not (tmp_path / "escape.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "no staging directory may be left behind"


@pytest.mark.parametrize("path", ["/etc/passwd", "a/../../b", "", "."])
def test_writer_refuses_paths_outside_output(tmp_path, path):
    with pytest.raises(Exception):
        write_build({path: b"x"}, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_writer_refuses_to_replace_a_directory_that_is_not_a_build(tmp_path, reference_build):
    precious = tmp_path / "src"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    with pytest.raises(Exception, match="not a policygen build"):
        write_build(reference_build.files, precious)
    assert (precious / "keep.txt").read_text() == "mine"
