"""Each rule against its own fixtures: the failing one must be reported at exactly the marked lines,
the passing one not at all.

Fixtures live in tests/fixtures/rules/<ID>/. In YAML fixtures the expected lines carry a
`# <- ID` comment; JSON cannot hold comments, so fail.expect lists the lines instead.
An optional context.yaml gives the organization's accounts for rules that need them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from policygen.lint import meta
from policygen.lint.engine import load_rules
from policygen.lint.run import LintOptions, run

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"
RULES = load_rules()
TODAY = dt.date(2026, 11, 22)


def _one(folder: Path, stem: str) -> Path:
    """fail.yaml / fail.json, a fail/ folder of several files (cross-account rules need both sides),
    or fail.patch.yaml: edits to a fresh build of the reference organization (rules that need its
    declared accesses), with the expected places listed in it."""
    found = [p for p in folder.glob(f"{stem}*") if p.suffix in (".yaml", ".json") or p.is_dir()]
    assert len(found) == 1, f"{folder.name}: expected one {stem}.yaml, {stem}.json or {stem}/, found {found}"
    return found[0]


def _expected(path: Path, rule_id: str) -> set[tuple[str, int]]:
    if path.name.endswith(".patch.yaml"):
        # "file.json:LINE", or "template.yaml:Resource>text" (see _place)
        expect = [e.partition(".yaml:") if ".yaml:" in e else e.rpartition(":") for e in yaml.safe_load(path.read_text()).get("expect") or []]
        return {(f"{BUILD_MARK}/{file}{'.yaml' if sep == '.yaml:' else ''}", place) for file, sep, place in expect}
    if path.is_dir():
        return {hit for file in sorted(path.rglob("*")) if file.is_file() for hit in _expected(file, rule_id)}
    if path.suffix == ".json":
        expect = path.with_suffix(".expect")
        return {(str(path), int(line)) for line in expect.read_text().split()} if expect.exists() else set()
    if path.suffix != ".yaml":
        return set()
    return {(str(path), n) for n, text in enumerate(path.read_text().splitlines(), 1)
            if re.search(rf"#\s*<-\s*{rule_id}\b", text)}


BUILD_MARK = "<build>"


def _place(build: Path, file: str, line: int) -> str:
    """A line of a patched build named so that it survives template changes: 'Resource>text', the resource
    (a template's logical id, the nearest one above) and the text the line starts with; JSON keeps its number."""
    if not file.endswith(".yaml"):
        return str(line)
    lines = Path(file).read_text().splitlines()
    head = next((lines[i].strip().rstrip(":") for i in range(line - 1, -1, -1)
                 if re.fullmatch(r"\s+[A-Z][A-Za-z0-9]*:", lines[i]) and lines[i].startswith("  ") and not lines[i].startswith("   ")
                 or re.fullmatch(r"\s{10}[A-Z][A-Za-z0-9]*:", lines[i])), "?")
    return f"{head}>{lines[line - 1].strip()}"


def _run(rule, path: Path, tmp_path: Path | None = None) -> list:
    if path.name.endswith(".patch.yaml"):
        from tests.lint.build_patch import patched_build

        build = patched_build(yaml.safe_load(path.read_text()), tmp_path)
        findings = run(LintOptions(rules=[rule], today=TODAY, find_config=False), [str(build)]).findings
        return [type(f)(f.rule, f.severity, f.message,
                        type(f.location)(f.file.replace(str(build), BUILD_MARK), _place(build, f.file, f.line)),
                        f.origin, f.related) for f in findings]
    folder = path.parent
    accounts = {}
    if (folder / "context.yaml").exists():
        accounts = {str(v): k for k, v in yaml.safe_load((folder / "context.yaml").read_text())["accounts"].items()}
    options = LintOptions(rules=[rule], today=TODAY, find_config=False, known_accounts=accounts,
                          **getattr(rule, "context_flags", {}))
    return run(options, [str(path)]).findings


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_failing_fixture_is_reported_at_the_marked_lines(rule, tmp_path):
    path = _one(FIXTURES / rule.id, "fail")
    expected = _expected(path, rule.id)
    assert expected, f"{path} marks no expected line"
    findings = [f for f in _run(rule, path, tmp_path) if f.rule == rule.id]
    assert {(f.file, f.line) for f in findings} == expected, [f"{f.file}:{f.line}: {f.message}" for f in findings]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_passing_fixture_is_clean(rule, tmp_path):
    path = _one(FIXTURES / rule.id, "pass")
    findings = _run(rule, path, tmp_path)
    assert [f for f in findings if f.rule == rule.id] == []
    assert [f for f in findings if f.rule == meta.CRASHED.id] == []


def test_every_rule_is_documented():
    for rule in RULES:
        assert re.fullmatch(r"(SY0|LP1|DP3|XA2)\d\d", rule.id), rule.id
        assert rule.summary and rule.description, rule.id
        assert rule.doc_section("Anti-pattern") and rule.doc_section("Best practice"), rule.id
        assert rule.url.startswith("https://docs.aws.amazon.com/"), rule.id
        assert rule.severity in ("error", "warning", "info")


def test_at_least_35_rules_in_three_families():
    assert len(RULES) >= 35
    assert {r.family for r in RULES} >= {"SY", "LP", "DP"}


def test_no_fixture_folder_without_a_rule():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(r.id for r in RULES)
