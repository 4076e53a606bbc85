"""policygen's benchmark: figures for synthetic organizations of N accounts, and a CI regression guard.

    python benchmarks/run.py                     # N = 10, 100, 1000
    python benchmarks/run.py 100 --json out.json
    python benchmarks/run.py --guard             # N = 100, both shapes, against benchmarks/baseline.json; exit 1 on regression
    python benchmarks/run.py --realistic 200 1000 5000   # issue 13's shape, by account list and by OU

Two shapes: the capped one (`synthetic_org`: ten deployment targets, twenty registry groups) and
the realistic one of issue 13 (`realistic_org`: every staging and prod account a deployment
target, a registry group per five accounts, nothing capped), the latter twice: targets listed
by account (self-managed StackSet) and named by OU (service-managed). For the realistic shape
the table also gives each step's cost per account (the curve: flat when cost is linear) and,
per policy kind, the largest document as a share of its AWS quota.

For each N it prints the wall time and peak memory (the step's processes' PSS summed, at its
highest: what the step held at once, workers included) of validate, build, lint of the build, the
access graph, the HTML review report (with its size), and a pre-commit style lint of one changed
policy; then cfn-lint and parliament on the same output, measured in the same run, with the
ratio to policygen's lint. cfn-lint takes about a second per template, so above SAMPLE templates
it is run on a sample and scaled (the table says so). Every figure is also given as a multiple
of the floor: PyYAML loading and JSON-dumping the same templates, measured in the same run,
which is what the guard compares, so that a slow CI machine does not fail it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from synthetic_org import org_yaml, realistic_yaml  # noqa: E402

BASELINE = HERE / "baseline.json"
SAMPLE = 40
GUARD_FACTOR = 3.0


def measure(step: str, *args) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "measure.py"), step, *map(str, args)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{step} failed: {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


SHAPES = {"capped": org_yaml, "realistic": realistic_yaml, "realistic-ou": lambda n: realistic_yaml(n, by_ou=True)}


def run(n: int, work: Path, with_others: bool = True, shape: str = "capped") -> dict:
    org = work / f"org{n}{shape}.yaml"
    org.write_text(SHAPES[shape](n))
    build = work / f"build{n}{shape}"
    figures = {
        "validate": measure("policygen", "validate", org),
        "build": measure("policygen", "build", org, "-o", build, "--no-summary"),
        "lint": measure("policygen", "lint", build),
        "graph": measure("graph", build),
        "report": _report(build, work / f"report{n}.html"),
        "floor": measure("floor", build),
    }
    figures["lint-one-change"] = _one_change(build)
    templates = sorted(str(p) for p in build.rglob("*.yaml"))
    policies = sorted(str(p) for p in (build / "policies").rglob("*.json")) + sorted(str(p) for p in (build / "scps").rglob("*.json"))
    if with_others:
        sample = templates[:SAMPLE]
        cfn = measure("cfn-lint", *sample)
        scale = len(templates) / len(sample)
        figures["cfn-lint"] = {"seconds": round(cfn["seconds"] * scale, 2), "peak_mb": cfn["peak_mb"],
                               "note": f"measured on {len(sample)} of {len(templates)} templates, scaled" if scale > 1 else ""}
        figures["parliament"] = measure("parliament", *policies)
    floor = figures["floor"]["seconds"] or 0.001
    for name, f in figures.items():
        f["x_floor"] = round(f["seconds"] / floor, 2)
    figures["_counts"] = {"templates": len(templates), "policies": len(policies)}
    figures["_quota"] = quota_margins(build)
    return figures


def _report(build: Path, page: Path) -> dict:
    """`policygen report` of the build as HTML (issue 14: under 30 s and 10 MB at 1,000 accounts),
    and, when Chromium is installed, how long it takes to open it (to the rendered DOM)."""
    figures = measure("policygen", "report", build, "-o", page)
    size = page.stat().st_size
    figures["note"] = f"HTML {size / 1e6:.2f} MB" + ("" if figures["seconds"] < 30 and size < 10e6 else " (over 30 s or 10 MB)")
    browser = shutil.which("chromium")
    if browser:
        with tempfile.TemporaryDirectory() as profile:
            started = time.perf_counter()
            dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                  "--disable-background-networking", f"--user-data-dir={profile}", "--dump-dom",
                                  page.resolve().as_uri()], capture_output=True, text=True, timeout=300).stdout
            seconds = time.perf_counter() - started
        figures["note"] += f", Chromium renders it in {seconds:.1f} s" + ("" if 'data-rendered="1"' in dom else " (script did not finish)")
    return figures


def quota_margins(build: Path) -> dict[str, float]:
    """Per policy kind, the largest document's size as a share of its quota (the build refuses > 1);
    for the account templates, the largest as a share of the inline TemplateBody limit (51,200 bytes)
    and of the S3 TemplateURL one (1 MB), which applies past the first (the build warns there)."""
    sys.path.insert(0, str(HERE.parent))
    from policygen.generate.quotas import LIMITS, TEMPLATE_BODY_BYTES, TEMPLATE_URL_BYTES, size

    manifest = json.loads((build / "manifest.json").read_text())
    worst: dict[str, float] = {}
    for entry in manifest.get("artifacts", []):
        limit = LIMITS.get(entry.get("kind"))
        if limit and entry.get("path", "").endswith(".json"):
            share = size(json.loads((build / entry["path"]).read_text())) / limit
            worst[entry["kind"]] = max(worst.get(entry["kind"], 0.0), round(share, 3))
        elif entry.get("kind") == "cfn-template":
            body = (build / entry["path"]).stat().st_size
            worst["template inline"] = max(worst.get("template inline", 0.0), round(body / TEMPLATE_BODY_BYTES, 3))
            worst["template via S3"] = max(worst.get("template via S3", 0.0), round(body / TEMPLATE_URL_BYTES, 3))
    return dict(sorted(worst.items()))


def _one_change(build: Path) -> dict:
    """The pre-commit hook's run: one bucket policy edited, named alone, the build around it."""
    changed = sorted((build / "policies").rglob("bucket-policy/*.json"))[0]
    original = changed.read_text()
    policy = json.loads(original)
    policy["Statement"] = policy["Statement"][1:]
    changed.write_text(json.dumps(policy, indent=2))
    try:
        return measure("policygen", "lint", "--skip-unrecognised", changed)
    finally:
        changed.write_text(original)  # the build as it was (rebuilding would also replace every other file)


def table(results: dict[int, dict], shape: str = "capped") -> str:
    lines = [f"shape: {shape}",
             f"{'N':>5}  {'step':<16} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'x floor':>8} {'ms/acct':>8}  note"]
    for n, figures in results.items():
        for name, f in figures.items():
            if name.startswith("_"):
                continue
            cpu = f.get("cpu_seconds", f["seconds"])
            lines.append(f"{n:>5}  {name:<16} {f['seconds']:>8.2f} {cpu:>8.2f} {f['peak_mb']:>8.1f} {f['x_floor']:>8.2f} "
                         f"{1000 * cpu / n:>8.2f}  {f.get('note', '')}")
        if "build" in figures and "lint" in figures:
            b, li = figures["build"], figures["lint"]
            lines.append(f"{n:>5}  {'build + lint':<16} {b['seconds'] + li['seconds']:>8.2f} "
                         f"{b.get('cpu_seconds', 0) + li.get('cpu_seconds', 0):>8.2f} {max(b['peak_mb'], li['peak_mb']):>8.1f}")
        if figures.get("_quota"):
            lines.append(f"{n:>5}  {'largest/quota':<16} " + ", ".join(f"{k} {v:.0%}" for k, v in figures["_quota"].items()))
        if "cfn-lint" in figures:
            ours = figures["lint"]["seconds"]
            lines.append(f"{n:>5}  {'ratio':<16} cfn-lint/lint = {figures['cfn-lint']['seconds'] / ours:.1f}x, "
                         f"parliament/lint = {figures['parliament']['seconds'] / ours:.1f}x "
                         f"({figures['_counts']['templates']} templates, {figures['_counts']['policies']} policies)")
    return "\n".join(lines)


GUARD_SHAPES = ("capped", "realistic")


def guard(results: dict, shape: str = "capped") -> list[str]:
    """Steps whose multiple of the floor exceeds GUARD_FACTOR times the recorded one."""
    recorded = json.loads(BASELINE.read_text())
    recorded = recorded.get(shape, {}) if shape != "capped" else recorded
    failures = []
    for name, f in results.items():
        if name.startswith("_") or name == "floor" or name not in recorded:
            continue
        limit = recorded[name]["x_floor"] * GUARD_FACTOR
        if f["x_floor"] > limit:
            failures.append(f"{'' if shape == 'capped' else shape + ' '}{name}: {f['x_floor']}x the floor, recorded {recorded[name]['x_floor']}x (limit {limit:.2f}x)")
    return failures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10, 100, 1000])
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--guard", action="store_true", help="N=100 only; compare with benchmarks/baseline.json")
    parser.add_argument("--record", action="store_true", help="N=100 only; write benchmarks/baseline.json")
    parser.add_argument("--realistic", action="store_true",
                        help="issue 13's shape, by account list and by OU (without cfn-lint and parliament)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="policygen-bench-"))
    try:
        if args.guard or args.record:
            measured = {shape: run(100, work, with_others=False, shape=shape) for shape in GUARD_SHAPES}
            for shape, figures in measured.items():
                print(table({100: figures}, shape))
            if args.record:
                plain = {shape: {k: v for k, v in f.items() if not k.startswith("_")} for shape, f in measured.items()}
                BASELINE.write_text(json.dumps({**plain["capped"], "realistic": plain["realistic"]}, indent=2) + "\n")
                print(f"recorded {BASELINE}")
                return 0
            failures = [f for shape, figures in measured.items() for f in guard(figures, shape)]
            for failure in failures:
                print(f"REGRESSION {failure}")
            print("benchmark guard: " + ("failed" if failures else f"every step within {GUARD_FACTOR}x of the recorded figure"))
            return 1 if failures else 0
        shapes = ("realistic", "realistic-ou") if args.realistic else ("capped",)
        everything = {}
        for shape in shapes:
            results = {}
            for n in args.sizes:
                results[n] = run(n, work, with_others=not args.realistic, shape=shape)
                shutil.rmtree(work / f"build{n}{shape}", ignore_errors=True)
            print(table(results, shape), flush=True)
            everything[shape] = results
        if args.json:
            args.json.write_text(json.dumps(everything if args.realistic else everything["capped"], indent=2) + "\n")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
