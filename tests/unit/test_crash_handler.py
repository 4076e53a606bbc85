"""The last line of defence in policygen.cli.main can never itself fail: one line, the right exit code,
never a traceback, whatever breaks (memory, recursion, the crash log, the terminal)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import click
import pytest

from policygen.cli import main as entry
from policygen.errors import PolicygenError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def command(monkeypatch):
    """Install a command `boom` whose body is the function given."""

    def install(body):
        module = types.ModuleType("policygen_test_boom")
        module.command = click.command(name="boom")(body)
        monkeypatch.setitem(sys.modules, module.__name__, module)
        monkeypatch.setitem(entry.COMMANDS, "boom", (module.__name__, "test command"))

    return install


@pytest.fixture
def crash_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def one_line(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    return lines[0]


def test_an_internal_error_writes_a_crash_log_and_exits_3(command, crash_dir, capsys):
    command(lambda: 1 / 0)
    assert entry.main(["boom"]) == 3
    line = one_line(capsys)
    assert "this is a bug" in line
    [log] = crash_dir.glob("policygen-crash-*.log")
    assert str(log) in line and "ZeroDivisionError" in log.read_text() and "Traceback" in log.read_text()


@pytest.mark.parametrize("breaks", ["mkstemp", "fdopen", "format_exc"])
def test_when_the_crash_log_cannot_be_written_it_still_says_one_line_and_exits_3(command, crash_dir, capsys, monkeypatch, breaks):
    command(lambda: {}["missing\x1b[2J"])

    def fail(*args, **kwargs):
        raise (MemoryError() if breaks == "format_exc" else OSError(30, "Read-only file system"))

    target = {"mkstemp": (tempfile, "mkstemp"), "fdopen": (os, "fdopen"), "format_exc": (entry.traceback, "format_exc")}[breaks]
    monkeypatch.setattr(*target, fail)
    assert entry.main(["boom"]) == 3
    line = one_line(capsys)
    assert "this is a bug" in line and "could not be written" in line
    assert "\x1b" not in line
    if breaks != "format_exc":
        assert "KeyError" in line


def test_out_of_memory_is_one_line_and_exit_2(command, crash_dir, capsys):
    def hog():
        raise MemoryError()

    command(hog)
    assert entry.main(["boom"]) == 2
    assert "out of memory" in one_line(capsys)


def test_out_of_memory_while_reporting_an_input_error(command, capsys):
    class Huge(PolicygenError):
        def __str__(self):
            raise MemoryError()

    def fail():
        raise Huge()

    command(fail)
    assert entry.main(["boom"]) == 2
    assert "out of memory" in one_line(capsys)


def test_recursion_is_one_line_and_exit_2(command, crash_dir, capsys):
    def deep(n=0):
        return deep(n + 1)

    command(lambda: deep())
    assert entry.main(["boom"]) == 2
    line = one_line(capsys)
    assert "nested too deeply" in line and "policygen-crash-" in line


def test_a_broken_terminal_does_not_break_the_handler(command, crash_dir, monkeypatch):
    command(lambda: 1 / 0)

    def broken(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(click, "echo", broken)
    monkeypatch.setattr(os, "write", broken)
    assert entry.main(["boom"]) == 3


def test_ctrl_c_is_130(command, capsys):
    def interrupted():
        raise KeyboardInterrupt

    command(interrupted)
    assert entry.main(["boom"]) == 130
    assert one_line(capsys) in ("aborted", "interrupted")


def test_a_real_out_of_memory_in_a_subprocess(tmp_path):
    """Nested aliases (billion laughs, level 9) under a 512 MB address-space limit: one line, exit 2."""
    lines = ["version: 1", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))

    result = subprocess.run([sys.executable, "-m", "policygen", "validate", str(bomb)], cwd=ROOT, preexec_fn=limit,
                            capture_output=True, text=True, timeout=300, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: "), result.stderr
