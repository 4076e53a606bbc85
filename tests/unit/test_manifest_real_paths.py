"""Manifest paths are resolved a folder at a time (ingest/build_dir._RealPaths); whether a path leads
outside the build must be what resolving the whole path with os.path.realpath says, for every kind of link."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from pathlib import PurePosixPath, PureWindowsPath

from policygen.ingest.build_dir import _outside, _RealPaths
from policygen.lint import meta
from tests.conftest import ROOT
from tests.unit.hostile import run

OUTSIDE = "leads outside the build folder"


@pytest.fixture
def build(tmp_path):
    """A folder with links of every kind: to a file and a folder outside, to a folder inside, a chain
    of links, a link to a link outside, a dangling link, a loop, and a link to the folder itself."""
    root, away = tmp_path / "build", tmp_path / "away"
    (root / "a" / "b").mkdir(parents=True)
    (away / "sub").mkdir(parents=True)
    (root / "a" / "b" / "p.json").write_text("{}")
    (away / "sub" / "s.json").write_text("{}")
    links = {
        "a/file-out": tmp_path / "away" / "sub" / "s.json",
        "a/dir-out": away,
        "a/dir-in": root / "a" / "b",
        "a/dir-in-rel": "b",
        "a/chain": root / "a" / "dir-in",
        "a/chain-out": root / "a" / "dir-out",
        "a/dangling": root / "gone",
        "a/dangling-out": tmp_path / "gone",
        "a/loop": root / "a" / "loop",
        "a/self": root,
        "a/up": "..",
        "a/up-out": "../..",
    }
    for name, target in links.items():
        (root / name).symlink_to(target)
    return root


NAMES = ["a/b/p.json", "a/b/none.json", "a/file-out", "a/dir-out/sub/s.json", "a/dir-out/x", "a/dir-in/p.json",
         "a/dir-in-rel/p.json", "a/chain/p.json", "a/chain-out/sub/s.json", "a/dangling", "a/dangling/x",
         "a/dangling-out", "a/loop", "a/loop/x", "a/self/a/b/p.json", "a/self/a/dir-out/x", "a/up/a/b/p.json",
         "a/up-out/away/sub/s.json", "a/up/a/up-out/build/a/b/p.json", "./a/b/p.json", "a/./dir-out/x",
         "a//dir-out/x", "a/b/", "a/dir-out/", ".", "a/.hidden", "a/..x", "missing/dir/f.json", "a/b/p.json/x"]


def by_realpath(inside: str, name: str) -> bool:
    """The question asked the old way: resolve the whole path, then compare."""
    return os.path.commonpath([inside, os.path.realpath(os.path.join(inside, name))]) != inside


def test_every_name_is_judged_as_realpath_judges_it(build):
    inside = os.path.realpath(build)
    shared = _RealPaths(inside)  # one resolver for the whole manifest, as read_build uses it
    expected = {name: by_realpath(inside, name) for name in NAMES}
    assert sum(expected.values()) >= 8 and not all(expected.values())  # both answers are exercised
    for name in NAMES + NAMES[::-1]:  # in both orders: what the resolver remembers must not change an answer
        got = _outside(inside, name, shared)
        assert (got is not None and OUTSIDE in got) == expected[name], name
        assert _outside(inside, name) == got, name


def old_outside(inside: str, name: object) -> str | None:
    """_outside as it was before paths were resolved a folder at a time: the reference."""
    if not isinstance(name, str) or not name or "\x00" in name:
        return "an artifact in manifest.json has no usable path: not read"
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive:
        return "an artifact path in manifest.json is absolute: not read"
    if ".." in PurePosixPath(name.replace("\\", "/")).parts:
        return "an artifact path in manifest.json contains '..': not read"
    if by_realpath(inside, name):
        return "an artifact path in manifest.json leads outside the build folder (a symbolic link): not read"
    return None


ODD = ["c:x", "C:/x", "a/c:x", "1:x", "\\\\srv\\share\\x", "\\x", "/x", "//x", "a\\..\\b", "..", "a/..", "../a", "a/../b",
       "..a", "a..", "a/...", "a\\b", "x\x00y", "", None, 3, ["a"], "a:", ":", "a/b:/c", "policies/x.json"]


def test_messages_are_the_old_ones(build):
    inside = os.path.realpath(build)
    shared = _RealPaths(inside)
    for name in NAMES + ODD:
        assert _outside(inside, name, shared) == old_outside(inside, name), name


def test_a_manifest_path_through_a_folder_link_outside_is_never_read(tmp_path, capsys):
    build = tmp_path / "build"
    shutil.copytree(ROOT / "out", build)
    away = tmp_path / "away"
    away.mkdir()
    (away / "secret.json").write_text('{"Statement": [{"Effect": "Allow", "Action": "TOPSECRET:Read", "Resource": "*"}]}')
    (build / "policies" / "linked").symlink_to(away)
    manifest = json.loads((build / "manifest.json").read_text())
    manifest["artifacts"].append({**manifest["artifacts"][0], "path": "policies/linked/secret.json"})
    (build / "manifest.json").write_text(json.dumps(manifest))
    code, out, err = run(capsys, "lint", "--format", "json", build)
    assert "TOPSECRET" not in out + err and code == 1, err
    findings = [f for f in json.loads(out)["findings"] if f["rule"] == meta.OUTSIDE.id]
    assert len(findings) == 1 and OUTSIDE in findings[0]["message"]
