"""Issue 15: hostile input. Every bad input exits 2 with one located message, bounded in time and
memory; the lint walk reads only what it was pointed at; messages never carry control characters."""

from __future__ import annotations

import json
import os
import re
import time

import pytest

from policygen.errors import InputError
from policygen.parse import compose
from policygen.parse.located import parse
from policygen.parse.marked import read_marked
from tests.conftest import REFERENCE
from tests.unit.hostile import ORG_HEAD, TEMPLATE_HEAD, located_error, run


# 1. Parsers: tags, aliases, nesting, numbers, BOM ------------------------------------------------
BAD_VALUES = {
    "int": ("!!int abc", "'abc' is not an integer (!!int)"),
    "float": ("!!float x1", "is not a number (!!float)"),
    "bool": ("!!bool maybe", "'maybe' is not true or false (!!bool)"),
    "timestamp": ("!!timestamp 2024-13-45", "is not a date or time (!!timestamp)"),
    "implicit-bad-date": ("2024-02-30", "is not a date or time"),
    "int-4301-digits": ("9" * 4301, "an integer with more than 100 digits (the limit)"),
    "int-hex-digits": ("0x" + "f" * 200, "an integer with more than 100 digits (the limit)"),
    "python-apply": ("!!python/object/apply:os.system ['true']", "Python tags are not allowed"),
    "python-name": ("!!python/name:os.system", "Python tags are not allowed"),
    "python-module": ("!!python/module:os", "Python tags are not allowed"),
    "binary": ("!!binary aGVsbG8=", "!!binary"),
    "merge-tag": ("!!merge x", "merge keys"),
    "set": ("!!set {a, b}", "!!set is not supported"),
    "omap": ("!!omap [a: 1]", "!!omap is not supported"),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
@pytest.mark.parametrize("where", ["org", "template"])
def test_bad_tags_and_values_are_located_errors(tmp_path, capsys, case, where):
    value, expected = BAD_VALUES[case]
    if where == "org":
        path = tmp_path / "org.yaml"
        path.write_text(ORG_HEAD + "organization:\n  id: " + value + "\n")
        err = located_error(capsys, path, "validate")
        assert f"{path}:3:7: " in err
    else:
        path = tmp_path / "t.yaml"
        path.write_text(TEMPLATE_HEAD + "      RoleName: " + value + "\n")
        err = located_error(capsys, path, "lint", "--format", "json")
        assert f"{path}:6:17: " in err
    assert expected in err


@pytest.mark.parametrize("text, expected, where", [
    ("a: &a {x: 1}\nb:\n  <<: *a\n", "merge keys", "3:3"),
    ("a: &a {b: *a}\n", "recursive alias", "1:11"),
    ("a: &a [1, [2, *a]]\n", "recursive alias", "1:15"),
    ("a: *nothing\n", "names no anchor", "1:4"),
    ("? [a, b]\n: 1\n", "mapping keys must be plain names", "1:3"),
    ("!!python/name:os.system : 1\n", "Python tags are not allowed", "1:1"),
    ("a: 1\n---\nb: 2\n", "expected a single document", "2:1"),
], ids=["merge-key", "recursive-alias", "recursive-alias-deep", "undefined-alias", "complex-key", "python-key", "two-documents"])
@pytest.mark.parametrize("reader", ["located", "marked"])
def test_yaml_structure_errors_in_both_readers(text, expected, where, reader):
    with pytest.raises(InputError) as caught:
        parse(text, "f.yaml") if reader == "located" else read_marked(text, "f.yaml")
    assert str(caught.value).startswith(f"f.yaml:{where}: ") and expected in str(caught.value)


@pytest.mark.parametrize("text, expected", [
    ('a: 1\nb: "x\x1by"\n', "f.yaml:2:6: YAML syntax error: character U+001B is not allowed"),
    ("\ufeffa: 1\nb: \u00e9\x00\n", "f.yaml:2:5: YAML syntax error: character U+0000 is not allowed"),  # byte offsets become columns
    ("a: \ud800\n", "f.yaml:1:4: a lone surrogate"),
], ids=["esc", "nul-after-multibyte", "lone-surrogate"])
@pytest.mark.parametrize("reader", ["located", "marked"])
def test_characters_yaml_refuses_are_located(text, expected, reader):
    with pytest.raises(InputError) as caught:
        parse(text, "f.yaml") if reader == "located" else read_marked(text, "f.yaml")
    assert str(caught.value).startswith(expected)


def test_lone_surrogate_in_a_stackset_body_is_no_crash(tmp_path, capsys):
    path = tmp_path / "t.json"
    path.write_text('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"S": {"Type": "AWS::CloudFormation::StackSet",'
                    ' "Properties": {"TemplateBody": "Resources:\\n  \\ud800: x\\n"}}}}')
    code, out, err = run(capsys, "lint", "--format", "json", path)
    assert code in (0, 1, 2) and (code == 2 or json.loads(out))


def _nested_yaml(levels: int, flow: bool) -> str:
    if flow:
        return "a: " + "[" * levels + "]" * levels + "\n"
    return "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, levels)) + "  " * levels + "x\n"


@pytest.mark.parametrize("levels, flow", [(101, True), (400, True), (1000, True), (100_000, True),
                                          (101, False), (400, False), (1000, False)])  # block: 1000 levels is 1 MB
@pytest.mark.parametrize("reader", ["located", "marked"])
def test_deep_yaml_is_refused_at_the_depth_limit(levels, flow, reader):
    text = _nested_yaml(levels, flow)
    with pytest.raises(InputError, match="nesting deeper than 100 levels"):
        parse(text, "f.yaml") if reader == "located" else read_marked(text, "f.yaml")


def test_depth_just_inside_the_limit_reads():
    assert parse("[" * 99 + "]" * 99, "f.json") is not None
    assert parse("a: " + "[" * 98 + "]" * 98, "f.yaml") is not None


@pytest.mark.parametrize("levels", [101, 243, 1000, 100_000])
@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deep_json_is_refused_without_recursion_error(tmp_path, capsys, levels, opener):
    closer = "]" if opener == "[" else "}"
    path = tmp_path / "p.json"
    path.write_text(opener * levels + "1" + closer * levels)
    err = located_error(capsys, path, "lint", "--format", "json")
    assert "nesting deeper than 100 levels (the limit)" in err


def _laughs(level: int, org: bool) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, level + 1)]
    return (ORG_HEAD if org else "") + "\n".join(lines) + "\n"


@pytest.mark.parametrize("level", [7, 8, 9])
@pytest.mark.parametrize("command", ["validate", "lint"])
def test_billion_laughs_fail_fast(tmp_path, capsys, level, command):
    path = tmp_path / "lol.yaml"
    path.write_text(_laughs(level, org=True))
    started = time.perf_counter()
    err = located_error(capsys, path, *([command] if command == "validate" else [command, "--format", "json"]))
    assert time.perf_counter() - started < 5
    assert "more than 100,000 values in one file, aliases expanded (the limit)" in err


def test_aliases_within_the_limits_still_read():
    data = read_marked("a: &x {k: 1}\nb: *x\n", "f.yaml").data
    assert data == {"a": {"k": 1}, "b": {"k": 1}}


@pytest.mark.parametrize("text, expected", [
    ("".join(f"k{i}: 1\n" for i in range(10_001)), "more than 10,000 keys in one mapping (the limit)"),
    ("a: &a 1\nb: [" + ", ".join(["*a"] * 1001) + "]\n", "more than 1,000 aliases in one file (the limit)"),
    ("a: " + "x" * 1_000_001 + "\n", "a value longer than 1,000,000 characters (the limit)"),
    # 1,000 values behind an anchor, repeated by 101 aliases: a 3 KB file that expands past 100,000
    ("a: &a [" + ", ".join(["1"] * 1_000) + "]\nb: [" + ", ".join(["*a"] * 101) + "]\n",
     "more than 100,000 values in one file"),
], ids=["keys", "aliases", "scalar", "nodes"])
@pytest.mark.parametrize("reader", ["located", "marked"])
def test_each_limit_is_named(text, expected, reader):
    started = time.perf_counter()
    with pytest.raises(InputError, match=re.escape(expected)):
        parse(text, "f.yaml") if reader == "located" else read_marked(text, "f.yaml")
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("text, expected", [
    ("{" + ", ".join(f'"k{i}": 1' for i in range(10_001)) + "}", "more than 10,000 keys in one mapping"),
    ('{"a": "' + "x" * 1_000_001 + '"}', "a value longer than 1,000,000 characters"),
    ('{"a": ' + "9" * 4301 + "}", "an integer with more than 100 digits"),
    ('{\n  "a": 1,\n  "a": 2}', "duplicate key 'a'"),
], ids=["keys", "string", "int", "duplicate"])
def test_json_limits_are_named(text, expected):
    with pytest.raises(InputError, match=re.escape(expected)) as caught:
        parse(text, "p.json")
    assert re.match(r"p\.json:\d+:\d+: ", str(caught.value))


@pytest.mark.parametrize("reader", ["json", "yaml", "marked"])
def test_a_large_file_may_hold_a_value_per_character(reader):
    """The value limit scales with the text: a 5,000-account organization file holds about a million
    values; only aliases can make a file hold more values than characters."""
    values = 150_000  # past the 100,000 floor
    if reader == "json":
        data = parse("[" + ",".join(["1"] * values) + "]", "big.json")
    else:
        text = "a: [" + ", ".join(["1"] * values) + "]\n"
        data = (parse(text, "big.yaml") if reader == "yaml" else read_marked(text, "big.yaml").data)["a"]
    assert len(data) == values
    small = compose.Limits(nodes=10)
    assert small.for_text("x" * 5) is small and small.for_text("x" * 50).nodes == 50


def test_file_size_limit(tmp_path, capsys):
    path = tmp_path / "big.json"
    with open(path, "wb") as out:
        out.write(b'{"Statement": [], "pad": "')
        out.truncate(compose.LIMITS.file_bytes + 10)
    err = located_error(capsys, path, "lint")
    assert f"larger than {compose.LIMITS.file_bytes:,} bytes (the limit for one input file)" in err


def test_bom_in_front_of_json_is_read_as_json(tmp_path, capsys):
    path = tmp_path / "p.json"
    body = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(body, indent=2).encode())
    code, out, err = run(capsys, "lint", "--format", "json", path)
    assert code in (0, 1), err
    assert json.loads(out)["inputs"] == [str(path)]
    path.write_bytes(b"\xef\xbb\xbf{\n  \"Statement\": [,]\n}")
    err = located_error(capsys, path, "lint")
    assert "not valid JSON" in err and f"{path}:2:17:" in err  # columns as written, not as YAML


def test_bom_in_front_of_an_org_file(tmp_path, capsys):
    path = tmp_path / "org.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + REFERENCE.read_bytes())
    assert run(capsys, "validate", path)[0] == 0


# 2. Templates whose parts have the wrong shape -------------------------------------------------
@pytest.mark.parametrize("value", ['"text"', "[1, 2]", "3"], ids=["string", "list", "number"])
@pytest.mark.parametrize("part, message", [
    ("properties", "Resources.R.Properties must be a mapping"),
    ("metadata", "Resources.R.Metadata must be a mapping"),
    ("resource-policygen", "Resources.R.Metadata.policygen must be a mapping"),
    ("template-policygen", "Metadata.policygen must be a mapping"),
    ("resource", "Resources.R must be a mapping"),
])
def test_malformed_template_parts_are_located_errors(tmp_path, capsys, value, part, message):
    resource = {"properties": f'{{"Type": "AWS::IAM::Role", "Properties": {value}}}',
                "metadata": f'{{"Type": "AWS::IAM::Role", "Metadata": {value}}}',
                "resource-policygen": f'{{"Type": "AWS::RAM::ResourceShare", "Metadata": {{"policygen": {value}}}}}',
                "template-policygen": '{"Type": "AWS::IAM::Role"}',
                "resource": value}[part]
    head = f'"Metadata": {{"policygen": {value}}},\n' if part == "template-policygen" else ""
    path = tmp_path / "t.json"
    path.write_text('{"AWSTemplateFormatVersion": "2010-09-09",\n' + head + '"Resources": {\n"R": ' + resource + "}}\n")
    err = located_error(capsys, path, "lint", "--format", "json")
    assert message in err
