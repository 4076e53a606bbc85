"""`policygen init`: a starter a new user can read (no internal wording, a comment on each section, a
schema line for editors), that validates and builds; --minimal is two accounts."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from policygen.cli.main import main
from policygen.loader.schema import OrgFile

INTERNAL = ["seed", "org-format", "unchanged", "contract", "../", "reference", "spec", "must validate"]


@pytest.mark.parametrize("minimal", [False, True])
def test_init_writes_a_starter_that_validates_and_builds(tmp_path, capsys, minimal):
    org = tmp_path / "org.yaml"
    assert main(["init", str(org), *(["--minimal"] if minimal else [])]) == 0
    text = org.read_text()
    first = text.splitlines()[0]
    assert re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    schema_file = tmp_path / first.split("=", 1)[1]
    schema = json.loads(schema_file.read_text())
    jsonschema.validate(yaml.safe_load(text), schema)
    assert main(["validate", str(org)]) == 0
    assert main(["build", str(org), "-o", str(tmp_path / "out"), "--no-summary"]) == 0
    assert (tmp_path / "out" / "manifest.json").exists()
    assert main(["lint", str(org)]) == 0
    accounts = yaml.safe_load(text)["accounts"]
    if minimal:
        assert len(accounts) == 2
    else:
        assert set(yaml.safe_load(text)) == set(OrgFile.model_fields), "the full starter shows every section"


@pytest.mark.parametrize("name", ["starter-org.yaml", "starter-minimal.yaml"])
def test_the_starter_speaks_to_a_user(name):
    from importlib import resources

    text = resources.files("policygen.data").joinpath(name).read_text()
    lowered = text.lower()
    assert not [word for word in INTERNAL if word in lowered]
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"[a-z_]+:", line):
            before = [l for l in lines[:i] if l.strip()]
            assert before and before[-1].startswith("#"), f"section {line!r} has no comment"


def test_init_keeps_existing_files_unless_forced(tmp_path, capsys):
    org = tmp_path / "org.yaml"
    assert main(["init", str(org)]) == 0
    assert main(["init", str(org)]) == 2, "init must not overwrite without --force"
    assert main(["init", "--minimal", str(tmp_path / "small.yaml")]) == 0, "policygen's own schema file is refreshed"
    (tmp_path / "org.schema.json").write_text('{"title": "my own schema"}')
    capsys.readouterr()
    assert main(["init", str(tmp_path / "other.yaml")]) == 2
    assert "org.schema.json exists" in capsys.readouterr().err
    assert (tmp_path / "org.schema.json").read_text() == '{"title": "my own schema"}'
    assert not (tmp_path / "other.yaml").exists()
    assert main(["init", "--force", "--minimal", str(org)]) == 0
    assert len(yaml.safe_load(org.read_text())["accounts"]) == 2


def test_init_into_a_missing_folder_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["init", str(tmp_path / "nope" / "org.yaml")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot write") and len(err.splitlines()) == 1 and "nope" in err
