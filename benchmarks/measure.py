"""Run one benchmark step in this process and print {"seconds", "cpu_seconds", "peak_mb", ...} as JSON (with
--jobs workers counted in: their CPU time added, and peak_mb the most this process and its workers held at
once, their PSS summed; rss_sum_mb is the parent's peak resident size plus the largest worker's, an upper bound).

Each step runs in a fresh interpreter (run.py starts this file), so imports, catalogue loading and
peak memory are the step's own, as they are for a user who types the command.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import sys
import threading
import time


def step(name: str, args: list[str]) -> None:
    if name == "policygen":
        from policygen.cli.main import main

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(args)
        if code not in (0, 1):
            raise SystemExit(f"policygen {' '.join(args)} exited {code}")
    elif name == "graph":
        from policygen.access.graph import build_graph
        from policygen.access.world import world_from
        from policygen.iamdb import load
        from policygen.ingest.collect import collect

        build_graph(world_from(collect(args)), load(), jobs=None)  # as `policygen graph`: one process per core
    elif name == "floor":  # the least any tool must do: read every template and write it out again
        from pathlib import Path

        import yaml

        for path in sorted(Path(args[0]).rglob("*.yaml")):
            json.dumps(yaml.load(path.read_text(), Loader=yaml.SafeLoader))  # pure Python, as most tools load YAML
    elif name == "cfn-lint":
        from cfnlint.api import lint

        for path in args:
            lint(open(path).read(), regions=["eu-west-1"])
    elif name == "parliament":
        from parliament import analyze_policy_string

        for path in args:
            analyze_policy_string(open(path).read(), ignore_private_auditors=True, include_community_auditors=False)
    else:
        raise SystemExit(f"unknown step {name}")


class _Held(threading.Thread):
    """The most memory this process and its workers held at once: their proportional set sizes (PSS, where a
    page shared by n processes counts 1/n to each), summed, sampled every 100 ms from /proc. Forked workers
    share the parent's pages until they touch them, so the sum of their resident sizes would count a shared
    page once per process. None where /proc has no smaps_rollup (not Linux)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_kb: int | None = 0 if os.path.exists("/proc/self/smaps_rollup") else None
        self.done = threading.Event()

    def run(self) -> None:
        while self.peak_kb is not None and not self.done.wait(0.1):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(os.getpid())))

    def stop(self) -> float | None:
        self.done.set()
        self.join()
        return None if self.peak_kb is None else self.peak_kb / 1024


def _tree(root: int) -> list[int]:
    """This process and its descendants."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except OSError:  # a worker that just ended
        return 0


if __name__ == "__main__":
    held = _Held()
    held.start()
    started = time.perf_counter()
    step(sys.argv[1], sys.argv[2:])
    seconds = time.perf_counter() - started
    pss_mb = held.stop()
    usage, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # Linux reports KiB. Without /proc, the sum of the parent's peak and the largest worker's: an upper bound
    # of what the step held at once (it counts the pages a worker shares with the parent twice).
    upper_mb = (usage.ru_maxrss + workers.ru_maxrss) / 1024
    # CPU time besides wall time: on a shared machine wall time also counts waiting for the cores and the disk
    cpu = usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime
    print(json.dumps({"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
                      "peak_mb": round(pss_mb if pss_mb is not None else upper_mb, 1), "peak_is": "pss" if pss_mb is not None else "rss-sum",
                      "rss_sum_mb": round(upper_mb, 1), "parent_peak_mb": round(usage.ru_maxrss / 1024, 1),
                      "worker_peak_mb": round(workers.ru_maxrss / 1024, 1)}))
