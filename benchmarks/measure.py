"""Run one benchmark step in this process and print {"seconds", "cpu_seconds", "peak_mb", ...} as JSON (with
--jobs workers counted in: their CPU time added, and the largest worker's peak added to the parent's).

Each step runs in a fresh interpreter (run.py starts this file), so imports, catalogue loading and
peak memory are the step's own, as they are for a user who types the command.
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
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


if __name__ == "__main__":
    started = time.perf_counter()
    step(sys.argv[1], sys.argv[2:])
    seconds = time.perf_counter() - started
    usage, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # Linux reports KiB. With --jobs, forked workers share the parent's pages until they touch them; the sum of
    # the parent's peak and the largest worker's is an upper bound of what the step held at once (per worker).
    peak_mb = (usage.ru_maxrss + workers.ru_maxrss) / 1024
    # CPU time besides wall time: on a shared machine wall time also counts waiting for the cores and the disk
    cpu = usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime
    print(json.dumps({"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "peak_mb": round(peak_mb, 1),
                      "parent_peak_mb": round(usage.ru_maxrss / 1024, 1), "worker_peak_mb": round(workers.ru_maxrss / 1024, 1)}))
