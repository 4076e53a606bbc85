"""A seeded mutator over organization files, policies and templates, and an in-process runner.

`cases(seed, count)` yields (name, suffix, bytes, commands): a mutated copy of one of the seed
inputs (the reference organization, files of `out/`, the rule fixtures) and the policygen
commands to run on it. Half the mutations edit the parsed value and write it back (so the input
still parses and reaches validation and the rules); half edit the text (syntax, tags, anchors,
encodings, control characters). `run_case` runs each command through click's CliRunner in this
process and returns what the fuzz test and `benchmarks/fuzz.py` check.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "policygen" / "data" / "reference-org.yaml"

# Text the mutator splices in: structure, YAML features, hostile characters and sizes.
TOKENS = [
    "{", "}", "[", "]", ":", ": ", ",", "- ", "\n", "\n  ", "\t", '"', "'", "#", "---\n", "...\n", "? ", "|\n", ">-\n",
    "&a ", "*a", "&b [*a, *a, *a]", "<<: *a\n", "!!int abc", "!!float x", "!!bool maybe", "!!timestamp 2024-13-45",
    "!!binary aGk=", "!!python/name:os.system", "!!python/object/apply:os.system ['true']", "!!set {a}", "!!merge ",
    "!Ref X", "!Sub ${AWS::AccountId}", "!GetAtt A.B", "!!str ", "%YAML 1.1\n", "2024-02-30", "0x1F", "1e999", "-0",
    "9" * 5000, "x" * 3000, "[" * 300, "{\"a\":" * 300, "\x1b[2J", "\x07", "\r", "\x00", "\u202e", "\u2066", "\ufeff",
    "\udcff", "\x85", "\u2028", "\\u0000", "\\ud800", "${", "*", "arn:aws:s3:::*", "a[b]", "null", "~", "=",
]
VALUES = [
    "", "*", 0, -1, 10**30, 1.5, True, False, None, [], {}, [[[]]], "\x1b[31mred", "\u202eevil", "a[b]", "x" * 500,
    "arn:aws:iam::*:root", "arn:aws:s3:::b/*", "${AWS::AccountId}", {"Ref": "X"}, {"Fn::GetAtt": "x"},
    {"Fn::Sub": ["a", 1]}, {"Fn::Join": [",", [1, {}]]}, ["s3:*", None], {"StringEquals": {"aws:PrincipalOrgID": []}},
    "2027-01-31", "111111111111", "sts:AssumeRole", "Allow", "Deny", {"AWS": "*"}, "vpce-*", "10.0.0.0/8",
]


def _seeds() -> list[tuple[str, str, str]]:
    """(name, suffix, text) of every seed input."""
    seeds = [("reference-org", ".yaml", REFERENCE.read_text())]
    out = ROOT / "out"
    chosen = sorted(out.glob("policies/*/*/*.json"))[::4] + sorted(out.glob("scps/*/*.json"))[:2] + \
        sorted(out.glob("shares/*/*.json"))[:2] + sorted(out.glob("templates/*.yaml"))[:2]
    seeds += [(str(p.relative_to(out)), p.suffix, p.read_text()) for p in chosen]
    fixtures = sorted((ROOT / "tests" / "fixtures" / "rules").glob("*/*.*"))
    seeds += [(str(p.relative_to(ROOT)), p.suffix, p.read_text()) for p in fixtures if p.suffix in (".json", ".yaml")]
    return seeds


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _value(rng: random.Random):
    return copy.deepcopy(rng.choice(VALUES))  # a fresh copy: a shared list would grow into a cycle


def _at(data, path):
    for part in path:
        data = data[part]
    return data


def _mutate_value(rng: random.Random, data):
    paths = list(_paths(data))
    scalars = [p for p in paths if p and not isinstance(_at(data, p), (dict, list))]
    if scalars and rng.random() < 0.3:
        # gentle: one value swapped for another of the same file, so that most results still validate
        target, source = rng.choice(scalars), rng.choice(scalars)
        _at(data, target[:-1])[target[-1]] = _at(data, source)
        return data
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        if not path:
            continue
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            last = path[-1]
            op = rng.random()
            if op < 0.45:
                parent[last] = _value(rng)
            elif op < 0.6 and isinstance(parent, dict):
                del parent[last]
            elif op < 0.7 and isinstance(parent, dict):
                parent[rng.choice(["extra", "a[b]", "Null", "\x1bkey", last + "x"])] = _value(rng)
            elif op < 0.8:
                parent[last] = [parent[last]]
            elif op < 0.9:
                parent[last] = json.dumps(parent[last])
            else:
                parent[last] = {"k": parent[last]}
        except (KeyError, IndexError, TypeError):
            continue
    return data


def _mutate_text(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        op = rng.random()
        if op < 0.5:
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif op < 0.7:
            text = text[:at] + text[at + rng.randint(1, 40):]
        elif op < 0.85:
            span = text[at:at + rng.randint(1, 200)]
            text = text[:at] + span + span + text[at:]
        else:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def _encode(rng: random.Random, text: str) -> bytes:
    data = text.encode("utf-8", errors="surrogatepass")
    op = rng.random()
    if op < 0.03:
        return b"\xef\xbb\xbf" + data
    if op < 0.06:
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80"]) + data[at:]
    if op < 0.07:
        return text.encode("utf-16")
    return data


def cases(seed: int, count: int):
    """(name, suffix, content, commands) for `count` inputs; the same seed gives the same inputs."""
    rng = random.Random(seed)
    seeds = _seeds()
    org, others = seeds[0], seeds[1:]
    for index in range(count):
        name, suffix, text = org if index % 3 == 0 else rng.choice(others)
        if rng.random() < 0.5:
            try:
                data = yaml.safe_load(text) if suffix == ".yaml" else json.loads(text)
            except (yaml.YAMLError, ValueError):
                data = None
            if isinstance(data, (dict, list)):
                data = _mutate_value(rng, data)
                text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True) if suffix == ".yaml" else json.dumps(data, indent=2)
        else:
            text = _mutate_text(rng, text)
        content = _encode(rng, text)
        if name == "reference-org":
            # lint builds the org in memory (~0.3 s when valid): every other org input
            commands = [["validate"]] + ([["lint", "--format", "json"]] if index % 6 == 0 else [])
        else:
            commands = [["lint", "--format", "json"]]
        yield f"{index:05}-{name.replace('/', '_')}", suffix, content, commands


@dataclass
class Outcome:
    command: str
    code: int
    seconds: float
    stdout: str
    stderr: str


@contextlib.contextmanager
def catalogue_loaded_once():
    """Every lint run loads the IAM catalogue (0.1-0.3 s, most of a small lint); the fuzz target is
    input handling, so the runs share one load. Only the packaged catalogue is cached; every module
    that imported `load` by name sees the cached one."""
    import sys

    import policygen.cli.lint  # noqa: F401 - import what a lint run imports, so that its names are bound
    import policygen.iamdb.catalogue as catalogue
    import policygen.lint.run  # noqa: F401

    original = catalogue.load
    packaged = functools.lru_cache(maxsize=1)(lambda: original())

    def load(path=None):
        return packaged() if path is None else original(path)

    patched = [(module, name) for module_name, module in list(sys.modules.items())
               if module_name.startswith("policygen") and module is not None
               for name, value in list(vars(module).items()) if value is original]
    for module, name in patched:
        setattr(module, name, load)
    try:
        yield
    finally:
        for module, name in patched:
            setattr(module, name, original)


def run_case(path: Path, commands: list[list[str]]) -> list[Outcome]:
    """Run each command on path in this process (call inside catalogue_loaded_once for speed)."""
    from policygen.cli.main import main

    outcomes = []
    runner = CliRunner()
    for command in commands:
        with runner.isolation() as (out, err, _):
            started = time.perf_counter()
            code = main([*command, str(path)])
            seconds = time.perf_counter() - started
            stdout = out.getvalue().decode("utf-8", errors="replace")
            stderr = err.getvalue().decode("utf-8", errors="replace")
        outcomes.append(Outcome(command[0], code, seconds, stdout, stderr))
    return outcomes


def problems(outcome: Outcome, limit_seconds: float) -> list[str]:
    """What is wrong with one run, by the fuzz test's rules (empty: nothing)."""
    found = []
    if outcome.code not in (0, 1, 2):
        found.append(f"exit {outcome.code}: {outcome.stderr[:300]}")
    if "Traceback" in outcome.stdout + outcome.stderr:
        found.append("traceback in output")
    if outcome.seconds > limit_seconds:
        found.append(f"took {outcome.seconds:.1f} s")
    if outcome.command == "lint" and outcome.code in (0, 1):
        try:
            json.loads(outcome.stdout)
        except ValueError as exc:
            found.append(f"lint JSON not valid: {exc}")
    if outcome.code == 2 and outcome.command in ("validate", "lint") and not outcome.stderr.startswith("error:"):
        found.append(f"exit 2 without an error line: {outcome.stderr[:200]!r}")
    if any(ch in outcome.stdout + outcome.stderr for ch in "\x1b\x07\x00\u202e\u2066\r"):
        found.append("a control or bidirectional character reached the output")
    return found
