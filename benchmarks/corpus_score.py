"""Precision and recall of `policygen lint` on the labeled corpus under benchmarks/corpus/.

A benchmark, not a test: it prints figures and always exits 0. Each case is linted on its own, in
process, exactly as `policygen lint --format json CASE` would (from a scratch working directory, so
no `.policygen.yaml` of the checkout applies). A case is *flagged* when it has at least one finding
of severity error or warning; info findings do not count.

- bad case flagged: true positive; bad case not flagged (or no JSON output): miss
- clean case flagged (or no JSON output): false positive; an unreadable file's SY000 finding flags it

Per rule, a finding of rule R counts as a true positive on a bad case that lists R among its
expected rules, as a false positive on a clean case, and as "other" on a bad case that does not
list R (a second finding on a case that is bad for another reason). A case's expected rules are
alternatives (any one is the right report); when none of them fired, each counts a rule miss.

    .venv/bin/python benchmarks/corpus_score.py            # the tables and every false positive and miss
    .venv/bin/python benchmarks/corpus_score.py --quiet    # the tables only
    .venv/bin/python benchmarks/corpus_score.py --only sam/   # a subset of the cases
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
LABELS = CORPUS / "labels.yaml"
KINDS = ("template", "sam", "policy", "scp-rcp", "trust")
FLAGGING = ("error", "warning")


@dataclass
class Case:
    path: str
    label: str
    kind: str
    rules: list[str]
    why: str


@dataclass
class Outcome:
    case: Case
    exit_code: int
    findings: list[dict] = field(default_factory=list)  # error and warning findings only
    error: str = ""  # the message when there was no JSON output

    @property
    def no_output(self) -> bool:
        return self.exit_code == 2 and not self.findings

    @property
    def flagged(self) -> bool:
        return bool(self.findings)

    @property
    def rules(self) -> set[str]:
        return {f["rule"] for f in self.findings}


def load_cases() -> list[Case]:
    data = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["cases"]
    return [Case(path=path, label=entry["label"], kind=entry["kind"], rules=list(entry.get("rules") or []),
                 why=entry.get("why", "")) for path, entry in sorted(data.items())]


def run_case(case: Case) -> Outcome:
    """`policygen lint --format json` on one case, in process; exit 2 keeps the one-line message."""
    from policygen.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["lint", "--format", "json", str(CORPUS / case.path)])
    # Unreadable input is a finding (SY000) in the JSON report, with exit 2; only no report at all is "no output".
    if not out.getvalue().strip():
        return Outcome(case, 2, error=(err.getvalue().strip() or "no output").replace(str(CORPUS) + "/", ""))
    report = json.loads(out.getvalue())
    findings = [f for f in report["findings"] if f["severity"] in FLAGGING]
    return Outcome(case, code, findings)


def ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "  -  "


def case_table(outcomes: list[Outcome], title: str) -> list[str]:
    bad = [o for o in outcomes if o.case.label == "bad"]
    clean = [o for o in outcomes if o.case.label == "clean"]
    tp = sum(o.flagged for o in bad)
    fp = sum(o.flagged or o.no_output for o in clean)
    no_out = sum(o.no_output for o in outcomes)
    strict = sum(bool(set(o.case.rules) & o.rules) or (not o.case.rules and o.flagged) for o in bad)
    return [f"{title:<10} {len(outcomes):>5} {len(bad):>4} {len(clean):>5} {tp:>4} {len(bad) - tp:>5} {fp:>4}"
            f" {ratio(tp, len(bad)):>7} {ratio(strict, len(bad)):>7} {ratio(fp, len(clean)):>7}"
            f" {ratio(tp, tp + fp):>9} {no_out:>7}"]


def rule_table(outcomes: list[Outcome]) -> list[str]:
    tp, fp, other, miss = Counter(), Counter(), Counter(), Counter()
    for o in outcomes:
        for rule in o.rules:
            if o.case.label == "clean":
                fp[rule] += 1
            elif rule in o.case.rules:
                tp[rule] += 1
            else:
                other[rule] += 1
        if o.case.label == "bad" and not set(o.case.rules) & o.rules:
            for rule in o.case.rules:  # any one expected rule is the right report
                miss[rule] += 1
    lines = [f"{'rule':<7} {'TP':>4} {'FP':>4} {'other':>6} {'miss':>5} {'precision':>9} {'recall':>7}"]
    for rule in sorted(set(tp) | set(fp) | set(other) | set(miss)):
        lines.append(f"{rule:<7} {tp[rule]:>4} {fp[rule]:>4} {other[rule]:>6} {miss[rule]:>5}"
                     f" {ratio(tp[rule], tp[rule] + fp[rule]):>9} {ratio(tp[rule], tp[rule] + miss[rule]):>7}")
    return lines


def describe(o: Outcome) -> list[str]:
    if o.no_output:
        return [f"    (no JSON output, exit 2) {o.error}"]
    return [f"    {f['rule']} {f['severity']} line {f.get('line')}: {f['message']}" for f in o.findings]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="print the tables only")
    parser.add_argument("--only", metavar="TEXT", help="score only the cases whose path contains TEXT")
    args = parser.parse_args()
    cases = [c for c in load_cases() if not args.only or args.only in c.path]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        previous = os.getcwd()
        os.chdir(scratch)
        try:
            outcomes = [run_case(case) for case in cases]
        finally:
            os.chdir(previous)
    elapsed = time.perf_counter() - started
    header = (f"{'':<10} {'cases':>5} {'bad':>4} {'clean':>5} {'TP':>4} {'miss':>5} {'FP':>4}"
              f" {'recall':>7} {'rule-rc':>7} {'FP-rate':>7} {'precision':>9} {'no-json':>7}")
    print(f"policygen lint on {len(cases)} labeled cases ({elapsed:.1f} s)\n")
    print(header)
    print("\n".join(case_table(outcomes, "overall")))
    by_kind = defaultdict(list)
    for o in outcomes:
        by_kind[o.case.kind].append(o)
    for kind in KINDS:
        print("\n".join(case_table(by_kind[kind], kind)))
    print("\nrecall: bad cases with any error/warning; rule-rc: bad cases where an expected rule fired;"
          "\nFP-rate: clean cases with any error/warning or no JSON output; precision: TP / (TP + FP), by case\n")
    print("\n".join(rule_table(outcomes)))
    print("\nper rule: TP on bad cases expecting it, FP on clean cases, other on bad cases expecting another rule")
    if not args.quiet:
        print("\nFalse positives (clean cases flagged):")
        for o in outcomes:
            if o.case.label == "clean" and (o.flagged or o.no_output):
                print(f"  {o.case.path}")
                print("\n".join(describe(o)))
        print("\nMisses (bad cases not flagged):")
        for o in outcomes:
            if o.case.label == "bad" and not o.flagged:
                print(f"  {o.case.path}  expected {', '.join(o.case.rules) or 'any finding'}: {o.case.why}")
                if o.no_output:
                    print("\n".join(describe(o)))
        print("\nRule misses (bad cases flagged, but not by an expected rule):")
        for o in outcomes:
            if o.case.label == "bad" and o.flagged and o.case.rules and not set(o.case.rules) & o.rules:
                print(f"  {o.case.path}  expected {', '.join(o.case.rules)}, got {', '.join(sorted(o.rules))}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main())
