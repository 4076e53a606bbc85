"""Issue 15: hostile input. Every bad input exits 2 with one located message, bounded in time and
memory; the lint walk reads only what it was pointed at; messages never carry control characters."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import xml.etree.ElementTree as ET

import pytest

from policygen.cli.main import main
from policygen.errors import MAX_SHOWN, InputError, Problem, safe
from policygen.lint import meta
from policygen.model.span import Span
from policygen.parse import compose
from policygen.parse.located import parse
from policygen.parse.marked import read_marked
from tests.conftest import REFERENCE, ROOT

LOCATED = re.compile(r"^(?:error: )?(\S.*?):(\d+):(\d+): ", re.M)
TEMPLATE_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n'
ORG_HEAD = "version: 1\n"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def located_error(capsys, path, *command) -> str:
    """Run the command on path; it must exit 2 with one message naming path:line:column."""
    code, out, err = run(capsys, *command, path)
    assert code == 2, out + err
    match = LOCATED.search(err)
    assert match and match.group(1) == str(path), err
    return err


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
    ("a: [" + ", ".join(["1"] * 100_001) + "]\n", "more than 100,000 values in one file"),
], ids=["keys", "aliases", "scalar", "nodes"])
@pytest.mark.parametrize("reader", ["located", "marked"])
def test_each_limit_is_named(text, expected, reader):
    started = time.perf_counter()
    with pytest.raises(InputError, match=re.escape(expected)):
        parse(text, "f.yaml") if reader == "located" else read_marked(text, "f.yaml")
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("text, expected", [
    ('{"a": [' + ", ".join(["1"] * 100_001) + "]}", "more than 100,000 values in one file"),
    ("{" + ", ".join(f'"k{i}": 1' for i in range(10_001)) + "}", "more than 10,000 keys in one mapping"),
    ('{"a": "' + "x" * 1_000_001 + '"}', "a value longer than 1,000,000 characters"),
    ('{"a": ' + "9" * 4301 + "}", "an integer with more than 100 digits"),
    ('{\n  "a": 1,\n  "a": 2}', "duplicate key 'a'"),
], ids=["nodes", "keys", "string", "int", "duplicate"])
def test_json_limits_are_named(text, expected):
    with pytest.raises(InputError, match=re.escape(expected)) as caught:
        parse(text, "p.json")
    assert re.match(r"p\.json:\d+:\d+: ", str(caught.value))


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


# 3. The lint walk ------------------------------------------------------------------------------
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}


def lint_json(capsys, *paths) -> tuple[int, dict, str]:
    code, out, err = run(capsys, "lint", "--format", "json", *paths)
    return code, (json.loads(out) if out else {}), err


def skipped(report: dict) -> dict[str, str]:
    return {f["file"]: f["message"] for f in report["findings"] if f["rule"] == meta.SKIPPED.id}


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "tree"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "p.json").write_text(json.dumps(POLICY))
    (tmp_path / "outside.json").write_text(json.dumps(POLICY))
    return root


@pytest.mark.parametrize("target, expected", [
    ("..", "outside"), ("/", "outside"), ("../outside.json", "outside"), ("/dev/zero", "outside"),
], ids=["parent", "root", "file-outside", "dev-zero"])
def test_links_out_of_the_tree_are_skipped_with_a_finding(tree, capsys, target, expected):
    name = "link.json" if "." in os.path.basename(target) or target == "/dev/zero" else "link"
    (tree / name).symlink_to(target)
    started = time.perf_counter()
    code, report, err = lint_json(capsys, tree)
    assert time.perf_counter() - started < 30
    assert code == 0, err
    assert report["inputs"] == [f"{tree}/sub/p.json"]  # nothing outside was read
    assert expected in skipped(report)[f"{tree}/{name}"]


def test_links_inside_the_tree_are_followed_and_loops_detected(tree, capsys):
    (tree / "sub" / "again").symlink_to("..")  # a loop back to the tree's root
    (tree / "alias.json").symlink_to("sub/p.json")
    code, report, err = lint_json(capsys, tree)
    assert code == 0, err
    assert report["inputs"] == [f"{tree}/alias.json", f"{tree}/sub/p.json"]
    assert "loop" in skipped(report)[f"{tree}/sub/again"]


def test_broken_link_is_a_finding(tree, capsys):
    (tree / "gone.json").symlink_to("nowhere.json")
    code, report, _ = lint_json(capsys, tree)
    assert "broken symbolic link" in skipped(report)[f"{tree}/gone.json"]


def test_named_broken_link_is_no_such_file(tree, capsys):
    (tree / "gone.json").symlink_to("nowhere.json")
    code, out, err = run(capsys, "lint", tree / "gone.json")
    assert code == 2 and "gone.json: no such file or directory (a broken symbolic link)" in err


def test_meta_rule_ids_used_by_the_readers_are_documented():
    from policygen.policydoc.corpus import SkippedInput

    assert meta.SKIPPED.id == SkippedInput(None, "").rule  # the walk's default; PG006 is checked by the manifest tests
    rules_md = (ROOT / "docs" / "rules.md").read_text()
    assert "PG005" in rules_md and "PG006" in rules_md


@pytest.mark.parametrize("named", [False, True], ids=["walked", "named"])
def test_fifo_is_skipped_not_opened(tree, capsys, named):
    fifo = tree / "pipe.json"
    os.mkfifo(fifo)
    started = time.perf_counter()
    code, report, err = lint_json(capsys, *([fifo, tree / "sub"] if named else [tree]))
    assert time.perf_counter() - started < 30
    assert "FIFO" in skipped(report)[str(fifo)]


def test_device_named_directly_is_skipped(capsys, tree):
    code, report, _ = lint_json(capsys, "/dev/zero", tree / "sub" / "p.json")
    assert "character device" in skipped(report)["/dev/zero"]


def test_read_text_refuses_devices_and_fifos(tmp_path):
    from policygen.loader.load import read_text

    os.mkfifo(tmp_path / "f")
    for path, kind in ((tmp_path / "f", "FIFO"), ("/dev/zero", "character device")):
        with pytest.raises(InputError, match=kind):
            read_text(path)


def test_stale_staging_folders_are_ignored(tmp_path, capsys):
    shutil.copytree(ROOT / "out", tmp_path / "out")
    for stale in (".out.building-x1", ".out.old-x2"):
        (tmp_path / stale / "policies").mkdir(parents=True)
        (tmp_path / stale / "policies" / "broken.json").write_text("{not json")
    code, report, err = lint_json(capsys, tmp_path)
    assert code == 0, err
    assert report["inputs"] == [str(tmp_path / "out")]


def test_every_unreadable_file_is_reported_in_one_run(tmp_path, capsys, monkeypatch):
    for i in range(60):
        (tmp_path / f"bad{i:02}.json").write_text('{"Statement": [,]}')
    (tmp_path / "a-binary.json").write_bytes(b'{"a": "\xff"}')
    (tmp_path / "locked.json").write_text(json.dumps(POLICY))
    real_open = os.open

    def denying(path, *args, **kwargs):  # root reads any file; pretend this one is not readable
        if str(path).endswith("locked.json"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("policygen.loader.load.os.open", denying)
    code, out, err = run(capsys, "lint", tmp_path)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1 + MAX_SHOWN + 1 and lines[-1] == "... and 12 more problems"  # 62 problems
    assert f"{tmp_path}/bad00.json:1:16: not valid JSON" in err
    assert f"{tmp_path}/a-binary.json:1:8: not UTF-8 text" in err
    assert f"{tmp_path}/locked.json: cannot read (Permission denied)" in err


def test_locked_file_reported_with_the_others(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.json").write_text("{")
    (tmp_path / "z.json").write_text(json.dumps(POLICY))
    real_open = os.open
    monkeypatch.setattr("policygen.loader.load.os.open", lambda p, *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                        if str(p).endswith("z.json") else real_open(p, *a, **k))
    code, out, err = run(capsys, "lint", tmp_path)
    assert code == 2 and "a.json:1:2: not valid JSON" in err and "z.json: cannot read (Permission denied)" in err


# 4. Manifest paths stay inside the build --------------------------------------------------------
@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.json"
    path.write_text('{"Statement": [{"Effect": "Allow", "Action": "TOPSECRET:Read", "Resource": "*"}]}')
    return path


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink", "etc-passwd", "not-a-string", "nul"])
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_manifest_paths_outside_the_build_are_never_read(tmp_path, capsys, secret, how, fmt):
    build = tmp_path / "build"
    shutil.copytree(ROOT / "out", build)
    manifest = json.loads((build / "manifest.json").read_text())
    entry = dict(manifest["artifacts"][0])
    if how == "symlink":
        (build / "policies" / "link.json").symlink_to(secret)
    entry["path"] = {"absolute": str(secret), "dotdot": "policies/../../secret.json", "symlink": "policies/link.json",
                     "etc-passwd": "/etc/passwd", "not-a-string": ["x"], "nul": "policies/\x00x.json"}[how]
    manifest["artifacts"].append(entry)
    (build / "manifest.json").write_text(json.dumps(manifest))
    code, out, err = run(capsys, "lint", "--format", fmt, build)
    assert "TOPSECRET" not in out + err and "root:" not in out + err
    assert code == 1, err  # PG006 is an error
    if fmt == "json":
        findings = [f for f in json.loads(out)["findings"] if f["rule"] == meta.OUTSIDE.id]
        assert len(findings) == 1 and findings[0]["file"] == f"{build}/manifest.json"
    else:
        assert meta.OUTSIDE.id in out


# 5. Safe messages -------------------------------------------------------------------------------
HOSTILE = {"esc": "\x1b[2J\x1b[31m", "bel": "\x07", "cr": "ok\rfake", "nul": "\x00", "rlo": "\u202e", "lri": "\u2066",
           "c1": "\x9b", "del": "\x7f", "newline": "a\nb"}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_safe_escapes_controls_and_bidi(name):
    shown = safe("x" + HOSTILE[name] + "y")
    assert shown.isprintable() and shown.startswith("x") and shown.endswith("y")
    assert "\\x" in shown or "\\u" in shown


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_org_file_messages_are_escaped(tmp_path, capsys, name):
    path = tmp_path / "org.yaml"
    escaped = json.dumps(HOSTILE[name])  # a JSON string is a YAML double-quoted string
    path.write_text(REFERENCE.read_text().replace("stage: data", f"stage: {escaped}"))
    err = located_error(capsys, path, "validate")
    assert len(err.splitlines()) == 1 and err.rstrip("\n").isprintable(), repr(err)
    assert "unknown value" in err


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_lint_reports_stay_safe_and_valid(tmp_path, capsys, fmt):
    bad = "\x1b]0;owned\x07\u202e\r"
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:" + bad + "Get", "Resource": "*"},
                                              {"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    (tmp_path / ("x" + "\x1b" + ".json")).write_text('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}')
    code, out, err = run(capsys, "lint", "--format", fmt, tmp_path)
    assert code == 1, err
    assert not any(ch in out for ch in "\x1b\x07\u202e\r"), out
    if fmt in ("json", "sarif"):
        json.loads(out)
    if fmt == "junit":
        ET.fromstring(out.split("?>", 1)[1])


def test_problem_and_error_text_is_escaped():
    problem = Problem("bad \x1b[31m value", Span("f\u202e.yaml", 1, 2))
    assert str(problem) == "f\\u202e.yaml:1:2: bad \\x1b[31m value"
    assert "\x1b" not in str(InputError(problem))


@pytest.mark.parametrize("key", ["a[b]", "x[0]", "function-after[y]", "[key]", "we ird", "k\u202e"])
def test_keys_keep_their_name_and_place(tmp_path, capsys, key):
    path = tmp_path / "org.yaml"
    path.write_text(REFERENCE.read_text().replace("    stage: data\n", f"    stage: data\n    {json.dumps(key)}: 1\n"))
    err = located_error(capsys, path, "validate")
    line = REFERENCE.read_text().splitlines().index("    stage: data") + 2
    assert f"{path}:{line}:5: unknown key '{safe(key)}' in accounts.data" in err


@pytest.mark.parametrize("data, where", [
    (b"version: 1\norganization:\n  id: o-\xff\n", "3:9"),
    (b"version: 1\n# caf\xc3\xa9 \xe9\n", "2:8"),
    (b"\xfe", "1:1"),
])
def test_utf8_errors_give_line_and_column(tmp_path, capsys, data, where):
    path = tmp_path / "org.yaml"
    path.write_bytes(data)
    err = located_error(capsys, path, "validate")
    assert f"{path}:{where}: not UTF-8 text" in err


@pytest.mark.parametrize("replace, expected", [
    (("    network:\n      vpc: vpc-0a0a", "    network: nope\n    networkx:\n      vpc: vpc-0a0a"), "accounts.shared.network: expected a mapping, got 'nope'"),
    (("regions: [eu-west-1, eu-central-1]", "regions: {a: 1}"), "organization.regions: expected a list of names, got a mapping"),
    (("regions: [eu-west-1, eu-central-1]", "regions: eu-west-1"), "organization.regions: expected a list of names, got 'eu-west-1'"),
    (('id: "333333333333"', "id: [1]"), "accounts.data.id: expected a string, got a list"),
    (("vpc_only: true", "vpc_only: maybe"), "expected true or false, got 'maybe'"),
    (("organization:\n  id:", "organization: x\norgx:\n  id:"), "organization: expected a mapping, got 'x'"),
    (("accounts:\n  management:", "accounts: [x]\nzz:\n  management:"), "accounts: expected a mapping, got a list"),
    (("stage: data", "stage: {a: b}"), "accounts.data.stage: expected one of"),
])
def test_schema_errors_in_the_tools_words(tmp_path, capsys, replace, expected):
    path = tmp_path / "org.yaml"
    path.write_text(REFERENCE.read_text().replace(*replace, 1))
    err = located_error(capsys, path, "validate")
    assert expected in err
    assert "Input should be" not in err and "instance of" not in err and "Spec" not in err


# 6. Unbounded input -----------------------------------------------------------------------------
@pytest.mark.parametrize("keys, expected", [
    (500_000, "more than 10,000 keys in one mapping (the limit)"),
    (1_000_000, "larger than 8,388,608 bytes (the limit for one input file)"),  # 10 MB
])
def test_many_unknown_keys_fail_fast_with_one_message(tmp_path, capsys, keys, expected):
    path = tmp_path / "org.yaml"
    path.write_text(REFERENCE.read_text() + "".join(f"k{i}: 1\n" for i in range(keys)))
    started = time.perf_counter()
    err = located_error(capsys, path, "validate")
    assert time.perf_counter() - started < 10
    assert expected in err and len(err.splitlines()) == 1


def test_many_problems_are_capped(tmp_path, capsys):
    path = tmp_path / "org.yaml"
    path.write_text(REFERENCE.read_text() + "".join(f"k{i}: 1\n" for i in range(5_000)))
    started = time.perf_counter()
    err = located_error(capsys, path, "validate")
    assert time.perf_counter() - started < 20
    lines = err.splitlines()
    assert len(lines) == 1 + MAX_SHOWN + 1 and lines[-1] == "... and 4,950 more problems"
