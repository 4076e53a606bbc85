"""Issue 15, hostile input (continued): the lint walk reads only what it was pointed at (links, FIFOs,
devices, locked files), manifest paths stay inside the build, and messages never carry control characters."""


from __future__ import annotations

import json
import os
import shutil
import time
import xml.etree.ElementTree as ET

import pytest

from policygen.errors import MAX_SHOWN, InputError, Problem, safe
from policygen.lint import meta
from policygen.model.span import Span
from policygen.parse.located import parse
from tests.conftest import REFERENCE, ROOT
from tests.unit.hostile import located_error, run


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
