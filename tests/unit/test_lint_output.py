"""`policygen lint -o FILE` into a folder that is missing, is a file, or refuses writes: exit 2, one line."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from policygen.cli import lint as lint_command
from policygen.cli.main import main

POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}


@pytest.fixture
def policy(tmp_path) -> Path:
    path = tmp_path / "identity" / "p.json"
    path.parent.mkdir()
    path.write_text(json.dumps(POLICY))
    return path


def lint_to(capsys, policy, target) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["lint", str(policy), "--format", "json", "-o", str(target)])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert "Traceback" not in err and len(lines) <= 1, err
    return code, lines[0] if lines else ""


def test_the_report_is_written(tmp_path, capsys, policy):
    code, _ = lint_to(capsys, policy, tmp_path / "r.json")
    assert code == 0 and "findings" in json.loads((tmp_path / "r.json").read_text())


@pytest.mark.parametrize("where, says", [
    ("missing", "does not exist"), ("under-file", "is not a folder"), ("proc", "/proc"), ("sys", "/sys"),
])
def test_impossible_report_locations_exit_2(tmp_path, capsys, policy, where, says):
    (tmp_path / "file.txt").write_text("x")
    target = {"missing": tmp_path / "nope" / "r.json", "under-file": tmp_path / "file.txt" / "r.json",
              "proc": Path("/proc/policygen-r.json"), "sys": Path("/sys/policygen/r.json")}[where]
    code, line = lint_to(capsys, policy, target)
    assert code == 2 and line.startswith(f"error: cannot write the report to {target}") and says in line, line
    assert not (tmp_path / "nope").exists() and (tmp_path / "file.txt").read_text() == "x"


@pytest.mark.parametrize("code_", [errno.EACCES, errno.EROFS])
def test_a_folder_that_refuses_writes_exits_2(tmp_path, capsys, policy, monkeypatch, code_):
    """Root ignores mode bits, so the refusal is injected where the report is opened."""
    def refuse(path, *args, **kwargs):
        raise OSError(code_, __import__("os").strerror(code_), str(path))

    monkeypatch.setattr(lint_command, "open", refuse, raising=False)
    code, line = lint_to(capsys, policy, tmp_path / "r.json")
    assert code == 2 and __import__("os").strerror(code_) in line and str(tmp_path / "r.json") in line
