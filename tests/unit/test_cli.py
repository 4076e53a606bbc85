"""The CLI contract: exit codes, one clear message, never a traceback, --check, schema, init."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import yaml

from policygen.cli.main import main
from tests.conftest import REFERENCE


def run(*args):
    return subprocess.run([sys.executable, "-m", "policygen", *args], capture_output=True, text=True)


def test_bad_input_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "org.yaml"
    bad.write_text("version: 1\norganization: [\n")
    result = run("build", str(bad), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{bad}:" in result.stderr and "YAML syntax error" in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_failed_build_keeps_previous_output(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(REFERENCE), "-o", str(out)]) == 0
    before = sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file())
    bad = tmp_path / "bad.yaml"
    bad.write_text(REFERENCE.read_text().replace("stage: prod", "stage: production"))
    assert main(["build", str(bad), "-o", str(out)]) == 2
    assert sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file()) == before


def test_check_reports_stale_files(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(REFERENCE), "-o", str(out), "--no-summary"]) == 0
    assert main(["build", str(REFERENCE), "-o", str(out), "--check"]) == 0
    (out / "scps" / "ml-platform-guardrails.json").write_text("{}")
    (out / "extra.json").write_text("{}")
    capsys.readouterr()
    assert main(["build", str(REFERENCE), "-o", str(out), "--check"]) == 1
    text = capsys.readouterr().out
    assert "scps/ml-platform-guardrails.json" in text and "extra.json" in text


def test_build_prints_summary_per_account(tmp_path, capsys):
    assert main(["build", str(REFERENCE), "-o", str(tmp_path / "out")]) == 0
    text = capsys.readouterr().out
    assert "account" in text and "staging" in text and "cfn-template" in text


def test_schema_validates_the_reference(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(REFERENCE.read_text()), schema)
    broken = yaml.safe_load(REFERENCE.read_text())
    broken["accounts"]["dev"]["stgae"] = "dev"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(broken))
    assert errors, "the schema must reject unknown keys"


def test_init_writes_a_valid_starter(tmp_path, capsys):
    target = tmp_path / "org.yaml"
    assert main(["init", str(target)]) == 0
    assert main(["validate", str(target)]) == 0
    assert main(["init", str(target)]) == 2, "init must not overwrite without --force"


def test_help_lists_commands():
    result = run("--help")
    assert result.returncode == 0
    for name in ("build", "validate", "schema", "init"):
        assert name in result.stdout
