"""The long fuzz run of issue 15: mutated org files, policies and templates through validate and lint.

    python benchmarks/fuzz.py                 # 20,000 inputs, seed 1
    python benchmarks/fuzz.py 50000 --seed 7

Same mutator and checks as tests/fuzz/test_fuzz_inputs.py (2,000 inputs in CI), in one process
through click's CliRunner. Prints the exit codes per command, the slowest run, the process's peak
memory (RSS), and every input that broke a rule (kept in a temporary folder to reproduce).
Exit status 1 when any did.
"""

from __future__ import annotations

import argparse
import collections
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.fuzz.mutate import cases, catalogue_loaded_once, problems, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=20.0, help="seconds one run may take")
    args = parser.parse_args()
    keep = Path(tempfile.mkdtemp(prefix="policygen-fuzz-"))
    codes: collections.Counter = collections.Counter()
    slowest = (0.0, "")
    broken = []
    started = time.perf_counter()
    with catalogue_loaded_once():
        for done, (name, suffix, content, commands) in enumerate(cases(args.seed, args.count), 1):
            path = keep / (name + suffix)
            path.write_bytes(content)
            failed = False
            for outcome in run_case(path, commands):
                codes[(outcome.command, outcome.code)] += 1
                slowest = max(slowest, (outcome.seconds, f"{name} ({outcome.command})"))
                for problem in problems(outcome, args.limit):
                    broken.append(f"{path} ({outcome.command}): {problem}")
                    failed = True
            if not failed:
                path.unlink()
            if done % 1000 == 0:
                print(f"  {done:,} inputs, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.count:,} inputs (seed {args.seed}) in {time.perf_counter() - started:.0f} s")
    for (command, code), count in sorted(codes.items()):
        print(f"  {command:<9} exit {code}: {count:,}")
    print(f"slowest run: {slowest[0]:.2f} s, {slowest[1]}")
    print(f"peak memory (RSS of this process): {peak:.0f} MB")
    print(f"broken: {len(broken)}" + (f" (inputs kept in {keep})" if broken else ""))
    for line in broken[:50]:
        print("  " + line)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
