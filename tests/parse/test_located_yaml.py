"""The one-pass YAML reader (`located_yaml._Direct`) says exactly what the node graph and its walk say:
the same values of the same types, at the same line and column (every string, key, mapping and list),
and, for bad input, the same message at the same place.

The node graph (`compose._Composer` + `located_yaml._node_value`) is the reader every document went
through before, and still reads documents with anchors; here it is the reference, on every YAML file
of the reference build, the fixtures and the benchmark corpus, on hostile documents, and on random ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygen.errors import InputError
from policygen.parse import compose, located_yaml
from policygen.parse.values import LDict, LList, LStr
from tests.conftest import ROOT


def assigned(value) -> list[str]:
    """The slots of a located mapping or list that a reader set (an unset one reads as 0, or fails)."""
    out = []
    for name in type(value).__slots__:
        try:
            type(value).__dict__[name].__get__(value)
        except AttributeError:
            continue
        out.append(name)
    return sorted(out)


def form(value):
    """Everything a reader hands on, as plain data: types, text, places, key places (and nothing else set)."""
    kind = type(value)
    if kind is LStr:
        return ("str", str(value), value.line, value.col, sorted(vars(value)))
    if kind is LDict:
        return ("map", value.line, value.col, value.key_lines, value.key_cols, assigned(value),
                [(form(k), form(v)) for k, v in value.items()])
    if kind is LList:
        return ("seq", value.line, value.col, assigned(value), [form(v) for v in value])
    return (kind.__name__, repr(value))


def outcome(read):
    try:
        return ("value", form(read()))
    except InputError as exc:
        return ("error", str(exc))


def by_graph(text: str, file: str, limits: compose.Limits = compose.LIMITS):
    node = compose.compose(text, file, limits)
    return None if node is None else located_yaml._node_value(node, file)


def by_pass(text: str, file: str, limits: compose.Limits = compose.LIMITS):
    """The one pass alone: a document with anchors must not reach it."""
    return compose.read_events(text, file, limits, located_yaml._Direct)


def same(text: str, limits: compose.Limits = compose.LIMITS, file: str = "f.yaml") -> tuple:
    expected = outcome(lambda: by_graph(text, file, limits))
    assert outcome(lambda: located_yaml.parse_yaml(text, file, limits)) == expected
    return expected


def yaml_files() -> list[Path]:
    roots = [ROOT / "out", ROOT / "tests" / "fixtures", ROOT / "benchmarks" / "corpus"]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".template") and p.is_file())


def test_every_yaml_file_of_the_repository_reads_the_same():
    files = yaml_files()
    assert len(files) > 100
    values = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        kind, _ = same(text, file=str(path))
        values += kind == "value"
        if "&" not in text and "*" not in text:  # no anchors: the one pass read it, not the fallback
            assert outcome(lambda: by_pass(text, str(path))) == outcome(lambda: by_graph(text, str(path)))
    assert values > 100


HOSTILE = [
    "a: !!int abc\n", "a: !!float x1\n", "a: !!bool maybe\n", "a: !!timestamp 2024-13-45\n", "a: 2024-02-30\n",
    "a: " + "9" * 4301 + "\n", "a: 0x" + "f" * 200 + "\n", "a: !!python/object/apply:os.system ['true']\n",
    "a: !!binary aGVsbG8=\n", "a: !!merge x\n", "a: !!set {a, b}\n", "a: !!omap [a: 1]\n", "? [a, b]\n: 1\n",
    "!!python/name:os.system : 1\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n", "{a: 1, b: [x, {a: 1, a: 2}]}\n",
    "a: !!int x\nb: !!set {}\n", "? [a]\n: !!int x\n", "a: [1, 2\n", "a: \"x\x1by\"\n", "a: \ud800\n",
    "a: &a {x: 1}\nb:\n  <<: *a\n", "a: &a {b: *a}\n", "a: *nothing\n", "<<: {a: 1}\n", "=: =\n", "a: =\n",
    "a: !Ref x\nb: !GetAtt A.B\nc: !Sub [s, {x: !Ref y}]\nd: !If {a: 1}\n!Ref k: 1\n", "", "# only a comment\n",
    "~\n", "!!str\n", "[]", "{}", "a:\n", "- - - x\n", "a: 2001-12-14t21:59:43.10-05:00\nb: 1_000\nc: .inf\nd: 0o17\n",
    "a: !<tag:yaml.org,2002:str> x\nb: ! 12\n", "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "a: " + "[" * 101 + "]" * 101 + "\n", "".join(f"k{i}: 1\n" for i in range(10_001)), "a: " + "x" * 1_000_001 + "\n",
    "a: &a 1\nb: [" + ", ".join(["*a"] * 1001) + "]\n",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_documents_fail_or_read_the_same(text):
    same(text)


def test_the_first_problem_in_reading_order_is_the_one_raised():
    kind, message = same("a: !!int x\nb: !!set {}\nc: 1\nc: 2\n")
    assert kind == "error" and message.startswith("f.yaml:1:4: ")
    kind, message = same("a:\n  b: [1, !!bool maybe]\n  b: 2\n")
    assert kind == "error" and message.startswith("f.yaml:2:10: ")  # at its tag
    kind, message = same("a: !!int x\nb: [1, 2\n")  # a syntax error anywhere wins: the walk needs the whole document
    assert kind == "error" and "YAML syntax error" in message


# Random documents --------------------------------------------------------------------------------
WORDS = ["a", "b", "a", "b", "Ref", "Null", "null", "~", "true", "Yes", "off", "1", "-2", "0x1F", "0o7", "1_000", "1.5", ".inf", "-.NaN",
         "2024-01-01", "2024-02-30", "2001-12-14 21:59:43.10 -5", "=", "<<", "a b", "s3:GetObject", "arn:aws:s3:::b/*",
         "'quoted'", '"dq"', '"2024-01-01"', "'1'", '"\\u00e9"', "x.y"]
TAGS = ["", "", "", "", "!!int ", "!!str ", "!!bool ", "!!float ", "!!null ", "!!timestamp ", "!Ref ", "!GetAtt ", "!Sub ",
        "!!binary ", "!!python/name:x ", "!!merge ", "! ", "!!set ", "!!map ", "!!seq ", "!!omap "]
scalars = st.tuples(st.sampled_from(TAGS), st.sampled_from(WORDS)).map(lambda t: ("scalar", t[0] + t[1]))


def _trees(children):
    keys = st.one_of(scalars, scalars, scalars, children)  # now and then a mapping or list as a key
    tags = st.sampled_from(TAGS + [""] * 20)  # mostly untagged, so that most collections read
    mappings = st.tuples(tags, st.lists(st.tuples(keys, children), max_size=5)).map(lambda t: ("map", t[0], t[1]))
    sequences = st.tuples(tags, st.lists(children, max_size=4)).map(lambda t: ("seq", t[0], t[1]))
    return st.one_of(mappings, sequences)


trees = st.recursive(scalars, _trees, max_leaves=25)


def flow(tree) -> str:
    if tree[0] == "scalar":
        return tree[1]
    tag = tree[1]
    if tree[0] == "seq":
        return tag + "[" + ", ".join(flow(item) for item in tree[2]) + "]"
    return tag + "{" + ", ".join(f"? {flow(k)} : {flow(v)}" if k[0] != "scalar" else f"{flow(k)}: {flow(v)}"
                                 for k, v in tree[2]) + "}"


def block(tree, indent: int, styles) -> str:
    """The tree in block style (a subtree in flow style when `styles` says so), each line indented."""
    pad = " " * indent
    if tree[0] == "scalar" or not tree[2] or styles(st.integers(0, 4)) == 0:
        return pad + flow(tree) + "\n"
    head = pad + tree[1].strip() + "\n" if tree[1].strip() else ""
    lines = []
    for item in tree[2]:
        if tree[0] == "seq":
            lines.append(pad + "-\n" + block(item, indent + 2, styles))
        elif item[0][0] == "scalar":
            lines.append(pad + flow(item[0]) + ":\n" + block(item[1], indent + 2, styles))
        else:
            lines.append(pad + "? " + flow(item[0]) + "\n" + pad + ":\n" + block(item[1], indent + 2, styles))
    return head + "".join(lines)


limits = st.builds(compose.Limits, depth=st.integers(1, 8), nodes=st.integers(1, 60), keys=st.integers(1, 4),
                   scalar_chars=st.integers(1, 30))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tree=trees, style=st.data(), small=st.one_of(st.none(), limits), cut=st.integers(0, 400))
def test_random_documents_read_the_same(tree, style, small, cut):
    text = block(tree, 0, style.draw) if style.draw(st.booleans()) else flow(tree) + "\n"
    if cut % 7 == 0:  # a document cut short: syntax errors
        text = text[: cut % max(len(text), 1)]
    same(text, small or compose.LIMITS)
    if small is not None:  # the limits as given, not scaled to the text: the value limit fires without aliases
        def graph():
            node = compose._Composer("f.yaml", small).run(yaml.CSafeLoader(text))
            return None if node is None else located_yaml._node_value(node, "f.yaml")

        try:
            expected = outcome(graph)
        except yaml.YAMLError:
            return
        got = outcome(lambda: located_yaml._Direct("f.yaml", small).run(yaml.CSafeLoader(text)))
        assert got == expected


@settings(max_examples=300, deadline=None)
@given(tree=trees, anchor=st.integers(0, 5), use=st.integers(0, 5))
def test_documents_with_anchors_read_the_same(tree, anchor, use):
    """Anchors and aliases go to the node graph: parse_yaml's answer is the graph's, whatever the order."""
    text = flow(tree)
    spots = [i for i, c in enumerate(text) if c in "[{"]
    if spots:
        at = spots[anchor % len(spots)]
        text = text[:at] + "&x " + text[at:]
        ends = [i for i, c in enumerate(text) if c == ","]
        if ends:
            at = ends[use % len(ends)] + 1
            text = text[:at] + " *x" + text[at:]
    same(text + "\n")
