"""The manifest and the organization facts are typed values with one writer and one reader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from policygen.cli.main import main
from policygen.model.facts import OrgFacts
from policygen.model.manifest import FORMAT, Manifest

OUT = Path(__file__).resolve().parents[2] / "out"


def test_the_committed_manifest_reads_back_to_the_same_json():
    text = (OUT / "manifest.json").read_text()
    manifest = Manifest.from_dict(json.loads(text))
    assert manifest.organization is not None and manifest.organization.accesses
    assert json.dumps(manifest.to_dict(), indent=2) + "\n" == text


def test_organization_facts_round_trip_and_keep_no_declarations_apart_from_none():
    data = json.loads((OUT / "manifest.json").read_text())["organization"]
    facts = OrgFacts.from_dict(data, source="org.yaml")
    assert facts.to_dict() == data and facts.source == "org.yaml"
    bare = OrgFacts.from_dict({k: v for k, v in data.items() if k != "accesses"})
    assert bare.accesses is None  # templates without an org file: nothing declared, so nothing undeclared
    assert OrgFacts.from_dict({**data, "accesses": []}).accesses == ()


def _copy_build(tmp_path: Path) -> Path:
    build = tmp_path / "build"
    shutil.copytree(OUT, build)
    return build


def test_a_manifest_of_another_format_is_refused_naming_the_file(tmp_path, monkeypatch, capsys):
    build = _copy_build(tmp_path)
    data = json.loads((build / "manifest.json").read_text())
    data["format"] = FORMAT + 1
    (build / "manifest.json").write_text(json.dumps(data))
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "build"]) == 2
    err = capsys.readouterr().err
    assert "build/manifest.json:1:1" in err and f"format {FORMAT + 1}" in err and "Traceback" not in err


def test_a_manifest_of_another_tool_is_not_taken_for_a_build(tmp_path, monkeypatch, capsys):
    build = _copy_build(tmp_path)
    (build / "manifest.json").write_text(json.dumps({"format": 1, "generator": "something else", "artifacts": []}))
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "build"]) == 2
    assert "not a policygen manifest" in capsys.readouterr().err
