"""Progress bars: on a terminal after a second, never in pipes, logs or under --quiet."""

from __future__ import annotations

import io
import time

from click.testing import CliRunner

from policygen import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def slow(n: int, label: str = "slow work"):
    for item in progress.track(range(n), label):
        time.sleep(0.01)
        yield item


def test_a_bar_appears_on_a_terminal_once_work_outlives_the_delay(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.02)
    screen = Terminal()
    with progress.reporting(True, stream=screen):
        assert list(slow(20)) == list(range(20))
    assert "slow work" in screen.getvalue()


def test_quick_work_shows_no_bar():
    screen = Terminal()
    with progress.reporting(True, stream=screen):
        list(progress.track(range(1000), "quick work"))
    assert screen.getvalue() == ""


def test_no_bar_when_not_a_terminal_or_quiet(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    for stream, enabled in ((io.StringIO(), True), (Terminal(), False)):
        with progress.reporting(enabled, stream=stream):
            assert list(slow(5)) == list(range(5))
        assert stream.getvalue() == ""


def test_track_is_the_items_themselves_outside_reporting():
    items = [1, 2, 3]
    assert progress.track(items, "nothing") is items


def test_the_commands_take_quiet_and_jobs(tmp_path):
    from policygen.cli.main import cli

    runner = CliRunner()
    for command in (["build", "--help"], ["lint", "--help"], ["graph", "--help"]):
        assert "--quiet" in runner.invoke(cli, command).output
    assert "--jobs" in runner.invoke(cli, ["lint", "--help"]).output
    assert "--enumerate" in runner.invoke(cli, ["build", "--help"]).output
