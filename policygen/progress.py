"""Progress of long work (issue 13): a bar on a terminal once a step has run for a second.

The CLI turns reporting on for one command (`with reporting(enabled)`); library code marks its
long loops with `track(items, "what", total)`, which costs nothing when reporting is off: no
terminal, `--quiet`, or a caller that is not the CLI (tests, the benchmark, the linter's API).
The bar goes to standard error, so reports on standard output stay clean, and is transient.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
DELAY = 1.0  # seconds a step runs before its bar appears

_active: ContextVar["_Reporter | None"] = ContextVar("policygen_progress", default=None)


class _Reporter:
    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.bar = None  # the rich Progress, created once some step outlives DELAY

    def _ensure(self):
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                console=Console(file=self.stream), transient=True)
            self.bar.start()
        return self.bar

    def track(self, items: Iterable[T], description: str, total: int | None, done_so_far=None) -> Iterator[T]:
        task, begun, done = None, time.monotonic(), 0
        for item in items:
            yield item
            done += 1
            completed = done_so_far() if done_so_far is not None else done
            if task is None and time.monotonic() - begun > DELAY:
                task = self._ensure().add_task(description, total=total, completed=completed)
            elif task is not None:
                self.bar.update(task, completed=completed)
        if task is not None:
            self.bar.remove_task(task)

    def close(self):
        if self.bar is not None:
            self.bar.stop()


@contextlib.contextmanager
def reporting(enabled: bool = True, stream=None):
    """Show progress bars for the work inside, if enabled and the stream (stderr) is a terminal."""
    stream = stream or sys.stderr
    if not enabled or not getattr(stream, "isatty", lambda: False)():
        yield
        return
    reporter = _Reporter(stream)
    token = _active.set(reporter)
    try:
        yield
    finally:
        _active.reset(token)
        reporter.close()


def track(items: Iterable[T], description: str, total: int | None = None, done_so_far=None) -> Iterable[T]:
    """The items, counted on a progress bar when reporting is on; the items themselves otherwise.
    done_so_far: what the bar shows as done, when other processes share the work (parallel.indexed_map)."""
    reporter = _active.get()
    if reporter is None:
        return items
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    return reporter.track(items, description, total, done_so_far)


def silence() -> None:
    """No bars from here on in this context: a forked worker's progress is its parent's to show."""
    _active.set(None)
