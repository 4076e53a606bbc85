"""The gates judge what gets deployed: a build's templates and StackSet bodies, not its JSON copies."""

from __future__ import annotations

import json
import shutil

from policygen.access.graph import build_graph
from policygen.access.inputs import world_of
from policygen.cli.main import main
from policygen.iamdb import load
from tests.conftest import ROOT
from tests.lint import template_edit

OUT = ROOT / "out"
OUTSIDE = "999999999999"
GRANT = [
    "- Sid: PartnerRead",
    "  Effect: Allow",
    "  Principal:",
    f'    AWS: "arn:aws:iam::{OUTSIDE}:root"',
    "  Action:",
    "    - s3:GetObject",
    "    - s3:PutBucketPolicy",
    "  Resource:",
    "    - arn:aws:s3:::sm-mlops-dev-eu-west-1-models",
    '    - "arn:aws:s3:::sm-mlops-dev-eu-west-1-models/*"',
]


def _edited_build(tmp_path):
    build = tmp_path / "edited"
    shutil.copytree(OUT, build)
    template = build / "templates" / "dev.yaml"
    template.write_text(template_edit.add_statement(template.read_text(), "BucketModelsPolicy", "DenyInsecureTransport", GRANT))
    return build


def _edges(world) -> set[tuple]:
    return {(e.principal, e.level, e.resource, e.network, e.actions) for e in build_graph(world, load())}


def test_templates_alone_give_the_same_world_as_the_build():
    from_build = _edges(world_of(str(OUT)))
    from_templates = _edges(world_of(f"{OUT}/templates"))  # the StackSet bodies are instantiated from shared.yaml
    assert from_build and from_templates == from_build
    # The StackSet's roles exist in every target account, and they read the models bucket.
    assert any(p == "arn:aws:iam::666666666666:role/SageMakerModelExecutionRole" and r.startswith("arn:aws:s3:::")
               for p, _level, r, _net, _actions in from_templates)


def test_an_outside_grant_written_into_a_template_is_an_error_naming_the_account(tmp_path, monkeypatch, capsys):
    build = _edited_build(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--format", "json", "edited"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    errors = [f for f in findings if f["severity"] == "error" and OUTSIDE in f["message"]]
    assert errors, findings
    lines = (build / "templates" / "dev.yaml").read_text().splitlines()
    for f in errors:
        assert f["file"] == "edited/templates/dev.yaml"
        assert "PartnerRead" in "\n".join(lines[f["line"] - 1:f["line"] + 1]) or OUTSIDE in lines[f["line"] - 1] \
            or "Statement" in lines[f["line"] - 1]
    # The bucket's org-file line comes along where the org file declared the resource.
    assert any(f.get("origin") for f in errors)


def test_diff_fails_on_the_new_outside_access(tmp_path, monkeypatch, capsys):
    _edited_build(tmp_path)
    assert main(["diff", "--format", "json", "--fail-on-new-access", str(OUT), str(tmp_path / "edited")]) == 1
    granted = json.loads(capsys.readouterr().out)["granted"]
    assert granted and all(OUTSIDE in e["principal"] for e in granted)
    # Reads stay denied by the bucket's own DenyNoVPC (models is vpc_only); changing its policy is not.
    assert any(e["level"] == "permissions-management" and "s3:PutBucketPolicy" in e["actions"] for e in granted)
