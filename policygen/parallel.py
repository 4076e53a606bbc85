"""Work split over processes (`--jobs N`, issue 13): the access graph and the document rules of a large
organization, which are many independent items of pure computation over data already in memory.

Workers are forked, so they start with the parent's world, documents and caches and nothing has to
be pickled on the way in; only the results come back. Where fork does not exist (Windows, macOS's
default is spawn and would have to pickle the world), for one job, or for a handful of items, the
work runs in this process: results and their order are the same either way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable
from typing import TypeVar

from policygen import progress

R = TypeVar("R")
# Below this many items a pool costs more than it saves (forking and collecting take ~50 ms).
MINIMUM_ITEMS = 2000
CHUNKS_PER_JOB = 32  # chunks of neighbouring items, claimed one at a time

_work: Callable[[int], object] | None = None  # set in the parent just before forking; the children inherit it
_claims = None  # the next chunk nobody has claimed yet: a counter in shared memory, made before forking
_chunks: list[range] = []


def jobs_for(jobs: int | None) -> int:
    """The processes to use: as asked, or (None) one per core."""
    return max(1, jobs or os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether workers can start with this process's memory (not on Windows, nor with macOS's spawn)."""
    return "fork" in multiprocessing.get_all_start_methods()


def indexed_map(work: Callable[[int], R], count: int, jobs: int | None, description: str) -> list[R]:
    """[work(0), ..., work(count - 1)], computed by `jobs` processes (this one and jobs - 1 forked ones) when that pays.

    This process takes its share of the chunks rather than wait: a forked worker copies every page whose
    objects it touches (reference counts), so a large organization's world costs memory once per worker
    (5,000 accounts: about 0.7 GB each), and one worker fewer for the same cores is that much less.
    Each process claims the next chunk when it is done with one, so a worker slowed by copying pages,
    or a chunk holding a slow item, leaves no process idle while another still works (callers put
    slow items first). A chunk is a run of neighbouring items, which mostly live on neighbouring
    pages: a worker then copies the pages of its own items, not a few objects of every page.
    """
    workers = min(jobs_for(jobs), max(1, count // (MINIMUM_ITEMS // 2)))
    if workers <= 1 or count < MINIMUM_ITEMS or not can_fork():
        return [work(i) for i in progress.track(range(count), description, count)]
    global _work, _claims, _chunks
    context = multiprocessing.get_context("fork")
    size = -(-count // (workers * CHUNKS_PER_JOB))
    _work, _claims, _chunks = work, context.Value("i", 0), [range(start, min(start + size, count)) for start in range(0, count, size)]
    results: list = [None] * count
    gc.freeze()  # the objects so far are never collected in a worker: a collection would touch, and copy, all of them
    try:
        with context.Pool(workers - 1) as pool:
            pending = pool.map_async(_run_claimed, range(workers - 1))
            # the bar counts chunks any process has claimed: the workers' count too
            done = list(progress.track(_claimed(), description, len(_chunks), lambda: min(_claims.value, len(_chunks))))
            for start, values in done + [chunk for found in pending.get() for chunk in found]:
                results[start:start + len(values)] = values
    finally:
        _work, _claims, _chunks = None, None, []
        gc.unfreeze()
    return results


def _claimed():
    """(start, values) of each chunk this process claims, until none is left."""
    assert _work is not None and _claims is not None
    while True:
        with _claims.get_lock():
            index = _claims.value
            _claims.value += 1
        if index >= len(_chunks):
            return
        chunk = _chunks[index]
        yield chunk.start, [_work(i) for i in chunk]


def _run_claimed(_worker: int) -> list[tuple[int, list]]:
    progress.silence()  # a bar belongs to the parent's terminal
    return list(_claimed())


class Background:
    """`compute()` in a forked child while this process goes on; `result()` waits for it and returns it.

    For one computation that needs none of what this process does meanwhile (the build's workflow
    calls, while it compiles the policies). The child sends its pickled result through a pipe, so
    the result should be plain data. With one job, where fork does not exist, or when the child
    fails (an error, a kill, out of memory), `result()` computes it here: the result is the same
    either way, and an error is raised here, as it would be without the child. Use it as a context
    manager: a child whose result is never asked for is stopped on the way out.
    """

    def __init__(self, compute: Callable[[], R], jobs: int | None):
        self.compute = compute
        started = fork_child(compute) if jobs_for(jobs) >= 2 and can_fork() else None
        self.pid, self.pipe = started if started is not None else (None, None)

    def result(self) -> R:
        if self.pipe is None:
            return self.compute()
        received = bytearray()
        try:
            while chunk := os.read(self.pipe, 1 << 20):
                received += chunk
        except OSError:
            received = bytearray()
        os.close(self.pipe)
        _, status = os.waitpid(self.pid, 0)
        self.pid = self.pipe = None
        found = child_result(received, status)
        return self.compute() if found is FAILED else found

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, *exc) -> None:
        if self.pid is not None:
            stop_child(self.pid, self.pipe)
            self.pid = self.pipe = None


# One forked child with one result: Background, and lint's early document checks ------------------
FAILED = object()  # what child_result gives for a child that did not send a whole result


def fork_child(compute: Callable[[], object]) -> tuple[int, int] | None:
    """Fork a child that sends `compute()` pickled through a pipe and leaves without running this
    process's exit handlers (exit 1, with nothing usable sent, on any failure): its pid and the pipe's
    read end, or None when no pipe or process can be had (the caller then does the work itself)."""
    try:
        read, write = os.pipe()
    except OSError:  # out of descriptors
        return None
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory
        os.close(read)
        os.close(write)
        return None
    if pid == 0:
        os.close(read)
        _compute_and_send(compute, write)
    os.close(write)
    return pid, read


def child_result(received: bytes | bytearray, status: int) -> object:
    """What a fork_child child sent, given its exit status, or FAILED."""
    if status != 0 or not received:
        return FAILED
    try:
        return pickle.loads(received)
    except Exception:  # noqa: BLE001 - a child cut short
        return FAILED


def stop_child(pid: int, pipe: int) -> None:
    """Stop a fork_child child whose result nobody will read; nothing is waited for but its end."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
    os.close(pipe)


def _compute_and_send(compute: Callable[[], object], pipe: int) -> None:
    code = 0
    try:
        progress.silence()  # a bar belongs to the parent's terminal
        data = memoryview(pickle.dumps(compute(), pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(pipe, data):]
    except BaseException:  # noqa: BLE001 - whatever went wrong, the parent does the work itself
        code = 1
    finally:
        os._exit(code)
