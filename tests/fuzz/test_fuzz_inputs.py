"""Issue 15: 2,000 mutated organization files, policies and templates through validate and lint,
in this process. Every run exits 0, 1 or 2, prints no traceback and no control character, takes
a bounded time, and lint's JSON output always parses. The longer run is benchmarks/fuzz.py."""

from __future__ import annotations

import collections

from tests.fuzz.mutate import cases, catalogue_loaded_once, problems, run_case

SEED = 15
COUNT = 2_000
LIMIT_SECONDS = 20  # per run; the slowest is under 2 s on a loaded 2-core machine


def test_fuzzed_inputs_exit_0_1_or_2_with_valid_output(tmp_path):
    found, codes, slowest = [], collections.Counter(), (0.0, "")
    with catalogue_loaded_once():
        for name, suffix, content, commands in cases(SEED, COUNT):
            path = tmp_path / (name + suffix)
            path.write_bytes(content)
            for outcome in run_case(path, commands):
                codes[(outcome.command, outcome.code)] += 1
                slowest = max(slowest, (outcome.seconds, name))
                found += [f"{name} ({outcome.command}): {p}" for p in problems(outcome, LIMIT_SECONDS)]
            if not found:
                path.unlink()  # a failing input stays in tmp_path to reproduce
    print(f"fuzz: {COUNT} inputs, exit codes {sorted(codes.items())}, slowest {slowest[0]:.2f} s ({slowest[1]})")
    assert not found, "\n".join(found[:20])
    # the mutator reaches every outcome, or the test proves less than it claims
    assert {code for _, code in codes} == {0, 1, 2}
    assert sum(codes.values()) >= COUNT
