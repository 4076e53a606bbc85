"""The output folder on a hostile file system: nothing lost, nothing written outside it, exit 2 with one
clear line for every bad location, a complete old or new build at the output path at every instant."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import pickle
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from policygen.cli.main import main
from policygen.errors import BuildError
from policygen.generate import writer
from policygen.generate.writer import is_build, write_build
from tests.conftest import REFERENCE

ROOT = Path(__file__).resolve().parents[2]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def built_by_cli(folder: Path, files: dict[str, bytes]) -> bool:
    """folder holds files as `policygen build` writes them: the manifest names the org file relative to
    the build folder, so only its `source` may differ from a build made in memory."""
    got = tree(folder)
    if got.keys() != files.keys():
        return False
    strip = lambda raw: {k: v for k, v in json.loads(raw).items() if k != "source"}  # noqa: E731
    return strip(got.pop("manifest.json")) == strip(files["manifest.json"]) and all(
        got[rel] == content for rel, content in files.items() if rel != "manifest.json")


@pytest.fixture(scope="module")
def variant_build():
    """A second, different complete build (another home region), to tell old from new."""
    from policygen.generate.build import build_text

    text = REFERENCE.read_text().replace("eu-west-1", "eu-central-1").replace("[eu-central-1, eu-central-1]", "[eu-central-1]")
    return build_text(text, "org.yaml")


def build_cli(capsys, org, out) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["build", str(org), "-o", str(out), "--no-summary"])
    captured = capsys.readouterr()
    return code, captured.err


def assert_one_line_error(err: str, *words: str):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], (word, err)


# --- what may be replaced -------------------------------------------------------------------------

def test_a_folder_with_an_unrelated_manifest_is_not_replaced(tmp_path, capsys):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "notes.txt").write_text("mine")
    (project / "src" / "main.py").write_text("print(1)")
    (project / "manifest.json").write_text(json.dumps({"name": "my-app", "version": "1.0"}))
    before = tree(project)
    code, err = build_cli(capsys, REFERENCE, project)
    assert code == 2
    assert_one_line_error(err, str(project), "not a policygen build")
    assert tree(project) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"], "no staging folder or lock file left"


@pytest.mark.parametrize("manifest", [
    b'{"format": 1, "generator": "someone else"}',
    b'{"format": "1", "generator": "policygen 0.1.0"}',
    b'{"format": true, "generator": "policygen 0.1.0"}',
    b'{"format": 0, "generator": "policygen 0.1.0"}',
    b'{"format": 1, "generator": "policygenx 0.1.0"}',
    b'{"generator": "policygen 0.1.0"}',
    b'[1, 2]',
    b'{"format": 1, "generator": "policygen 0.1.0"',  # truncated
    b'\xff\xfe not json',
    b'[' * 100_000,
])
def test_only_a_manifest_policygen_wrote_marks_a_build(tmp_path, capsys, manifest):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_bytes(manifest)
    (out / "keep.txt").write_text("mine")
    assert not is_build(out)
    code, err = build_cli(capsys, REFERENCE, out)
    assert code == 2
    assert_one_line_error(err, str(out))
    assert (out / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("fmt", [1, 2, 7])
def test_a_build_of_any_format_version_is_replaced(tmp_path, reference_build, fmt):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"format": fmt, "generator": "policygen 0.0.1", "artifacts": []}))
    (out / "old.json").write_text("{}")
    write_build(reference_build.files, out)
    assert tree(out) == reference_build.files


def test_unreadable_or_special_manifest_is_not_a_build(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").mkdir()
    assert not is_build(out)
    (out / "manifest.json").rmdir()
    os.symlink("/dev/zero", out / "manifest.json")  # must not be read (it never ends)
    assert not is_build(out)
    code, err = build_cli(capsys, REFERENCE, out)
    assert code == 2 and os.path.islink(out / "manifest.json")


def test_a_previous_build_and_an_empty_folder_are_replaced(tmp_path, capsys, reference_build, variant_build):
    out = tmp_path / "out"
    out.mkdir()
    code, _ = build_cli(capsys, REFERENCE, out)
    assert code == 0 and built_by_cli(out, reference_build.files)
    write_build(variant_build.files, out)
    assert tree(out) == variant_build.files, "a file that only the old build had must be gone"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("layout", ["inside", "equal", "nested", "via-symlink"])
def test_a_build_never_deletes_the_org_file(tmp_path, capsys, monkeypatch, reference_build, layout):
    prev = tmp_path / "prev"
    write_build(reference_build.files, prev)
    if layout == "nested":
        (prev / "platform").mkdir()
        org = prev / "platform" / "org.yaml"
    else:
        org = prev / "org.yaml"
    org.write_text(REFERENCE.read_text())
    target = prev
    if layout == "equal":
        monkeypatch.chdir(prev)
        target = Path(".")
    if layout == "via-symlink":
        link = tmp_path / "link-to-prev"
        os.symlink(prev, link)
        target = link
    code, err = build_cli(capsys, org, target)
    assert code == 2
    assert_one_line_error(err, "organization file", "would delete")
    assert org.read_text() == REFERENCE.read_text()


def test_an_output_beside_the_org_file_is_fine(tmp_path, capsys):
    org = tmp_path / "org.yaml"
    org.write_text(REFERENCE.read_text())
    code, _ = build_cli(capsys, org, tmp_path / "out")
    assert code == 0 and org.exists() and is_build(tmp_path / "out")


# --- where the output may be ----------------------------------------------------------------------

def test_a_dangling_symlink_output_creates_nothing_outside(tmp_path, capsys):
    link = tmp_path / "out"
    os.symlink(tmp_path / "elsewhere" / "deep" / "out", link)
    code, err = build_cli(capsys, REFERENCE, link)
    assert code == 2
    assert_one_line_error(err, "symlink to a missing folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    # and a dangling link on the way to the output
    os.symlink(tmp_path / "nowhere", tmp_path / "via")
    code, err = build_cli(capsys, REFERENCE, tmp_path / "via" / "a" / "out")
    assert code == 2
    assert_one_line_error(err, "symlink to a missing folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "via"]


def test_missing_parent_folders_are_created_and_removed_if_the_build_fails(tmp_path, capsys, monkeypatch, reference_build):
    code, _ = build_cli(capsys, REFERENCE, tmp_path / "a" / "b" / "out")
    assert code == 0 and built_by_cli(tmp_path / "a" / "b" / "out", reference_build.files)
    real_mkdtemp = writer.tempfile.mkdtemp

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), kwargs.get("dir"))

    monkeypatch.setattr(writer.tempfile, "mkdtemp", full)
    with pytest.raises(BuildError, match="No space left"):
        write_build(reference_build.files, tmp_path / "c" / "d" / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    monkeypatch.setattr(writer.tempfile, "mkdtemp", real_mkdtemp)


@pytest.mark.parametrize("where", ["under-file", "file", "proc", "sys"])
def test_impossible_output_locations_exit_2(tmp_path, capsys, where):
    (tmp_path / "file.txt").write_text("x")
    out = {"under-file": tmp_path / "file.txt" / "out", "file": tmp_path / "file.txt",
           "proc": Path("/proc/policygen-out"), "sys": Path("/sys/policygen-out/x")}[where]
    code, err = build_cli(capsys, REFERENCE, out)
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 3, err
    assert str(out.name) in err or "file" in err
    assert (tmp_path / "file.txt").read_text() == "x"


@pytest.mark.parametrize("code_", [errno.EACCES, errno.EROFS])
@pytest.mark.parametrize("failing", ["os.open", "os.mkdir"])
def test_a_folder_that_refuses_writes_exits_2(tmp_path, capsys, monkeypatch, code_, failing):
    """Root ignores mode bits, so the read-only folder is simulated where the writes happen."""
    guarded = str(tmp_path / "ro")
    os.mkdir(guarded)
    name = failing.split(".")[1]
    real = getattr(os, name)

    def refuse(path, *args, **kwargs):
        if os.fspath(path).startswith(guarded):
            raise OSError(code_, os.strerror(code_), os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, name, refuse)
    code, err = build_cli(capsys, REFERENCE, Path(guarded) / "out")
    assert code == 2
    assert_one_line_error(err, "cannot write the build", os.strerror(code_))
    monkeypatch.undo()
    assert os.listdir(guarded) == []


def test_exdev_symlink_to_another_file_system_stages_beside_the_target(tmp_path, monkeypatch, reference_build):
    """Simulated: every rename across folders fails with EXDEV, as it would across file systems."""
    target = tmp_path / "other-fs" / "builds"
    target.mkdir(parents=True)
    (tmp_path / "repo").mkdir()
    link = tmp_path / "repo" / "out"
    os.symlink(target, link)
    real_rename, real_rename2 = os.rename, writer._rename2
    calls = []

    def same_folder_only(src, dst, *args, **kwargs):
        calls.append((src, dst))
        if os.path.dirname(os.path.realpath(src)) != os.path.dirname(os.path.realpath(dst)):
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), dst)

    monkeypatch.setattr(os, "rename", lambda s, d: (same_folder_only(s, d), real_rename(s, d)))
    monkeypatch.setattr(writer, "_rename2", lambda s, d, **k: (same_folder_only(s, d), real_rename2(s, d, **k))[1])
    write_build(reference_build.files, link)
    write_build(reference_build.files, link)
    assert calls and os.path.islink(link) and tree(target) == reference_build.files
    assert sorted(p.name for p in (tmp_path / "repo").iterdir()) == ["out"]
    assert sorted(p.name for p in (tmp_path / "other-fs").iterdir()) == ["builds"]


def test_symlink_to_a_real_other_file_system(tmp_path, reference_build, variant_build):
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("needs /dev/shm on another file system than the test folder")
    target = Path(os.path.join(shm, f"policygen-test-{os.getpid()}"))
    target.mkdir()
    try:
        os.symlink(target, tmp_path / "out")
        write_build(reference_build.files, tmp_path / "out")
        write_build(variant_build.files, tmp_path / "out")
        assert tree(target) == variant_build.files and os.path.islink(tmp_path / "out")
    finally:
        import shutil

        shutil.rmtree(target)


# --- the swap --------------------------------------------------------------------------------------

def test_the_swap_is_one_atomic_exchange(tmp_path, monkeypatch, reference_build, variant_build):
    out = tmp_path / "out"
    write_build(reference_build.files, out)

    def no_plain_rename(*args):
        raise AssertionError("replacing a build must not use os.rename (two renames leave a gap)")

    monkeypatch.setattr(os, "rename", no_plain_rename)
    write_build(variant_build.files, out)
    assert tree(out) == variant_build.files


def test_rename2_exchanges_two_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").mkdir()
    assert writer._rename2(tmp_path / "a", tmp_path / "b", exchange=True)
    assert (tmp_path / "b" / "x").read_text() == "a" and not any((tmp_path / "a").iterdir())
    with pytest.raises(OSError) as caught:
        writer._rename2(tmp_path / "a", tmp_path / "b", exchange=False)
    assert caught.value.errno == errno.EEXIST


def test_fallback_without_exchange_and_recovery_of_a_build_killed_between_renames(tmp_path, monkeypatch, reference_build, variant_build):
    monkeypatch.setattr(writer, "_rename2", lambda *a, **k: False)
    out = tmp_path / "out"
    write_build(reference_build.files, out)
    write_build(variant_build.files, out)
    assert tree(out) == variant_build.files
    # killed between the two renames: the old build is in .out.old-*, the new one half-written
    os.rename(out, tmp_path / ".out.old-dead")
    (tmp_path / ".out.building-dead").mkdir()
    (tmp_path / ".out.building-dead" / "half.json").write_text("{")
    monkeypatch.undo()
    failing = dict(reference_build.files)
    failing["../x"] = b""
    with pytest.raises(BuildError):
        write_build(failing, out)
    write_build(reference_build.files, out, lock_timeout=1)
    assert tree(out) == reference_build.files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_stale_staging_folders_are_cleaned_and_others_kept(tmp_path, reference_build):
    out = tmp_path / "out"
    for name in (".out.building-abc", ".out.old-def", ".out.old-ghi/out"):
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "f.json").write_text("{}")
    (tmp_path / ".other.building-x").mkdir()
    (tmp_path / ".out.building-link").symlink_to(tmp_path / ".other.building-x")
    write_build(reference_build.files, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.building-x", ".out.building-link", "out"]


def test_a_held_lock_fails_cleanly_after_the_timeout(tmp_path, reference_build):
    out = tmp_path / "out"
    write_build(reference_build.files, out)
    fd = os.open(tmp_path / ".out.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        started = time.monotonic()
        with pytest.raises(BuildError, match="another build into .* is running") as caught:
            write_build({"manifest.json": b"{}"}, out, lock_timeout=0.3)
        assert 0.3 <= time.monotonic() - started < 5 and caught.value.exit_code == 2
    finally:
        os.close(fd)
    assert tree(out) == reference_build.files


CONCURRENT = """
import pickle, sys
from policygen.generate.writer import write_build
files = pickle.load(open(sys.argv[1], "rb"))
for _ in range(5):
    write_build(files, sys.argv[2])
"""


def test_concurrent_builds_into_one_folder_serialise(tmp_path, reference_build, variant_build):
    builds = []
    for i, build in enumerate((reference_build, variant_build) * 2):
        (tmp_path / f"b{i}.pickle").write_bytes(pickle.dumps(build.files))
        builds.append(subprocess.Popen([sys.executable, "-c", CONCURRENT, str(tmp_path / f"b{i}.pickle"), str(tmp_path / "out")],
                                       cwd=ROOT, stderr=subprocess.PIPE, text=True))
    errors = [p.communicate(timeout=120)[1] for p in builds]
    assert [p.returncode for p in builds] == [0] * 4, errors
    assert tree(tmp_path / "out") in (reference_build.files, variant_build.files)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".pickle")) == ["out"]


LOOP = """
import pickle, sys
from policygen.generate.writer import write_build
a, b = pickle.load(open(sys.argv[1], "rb"))
print("ready", flush=True)
i = 0
while True:
    write_build(a if i % 2 else b, sys.argv[2])
    i += 1
"""


def test_killed_at_random_points_the_output_is_always_a_complete_build(tmp_path, reference_build, variant_build):
    """30 SIGKILLs at random points of a loop of builds, 5 of `policygen build` itself. While each runs
    another thread checks that out/manifest.json never disappears; after each kill out/ holds exactly the
    old or the new build; the next build removes what the killed one left."""
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "policygen", "build", str(REFERENCE), "-o", str(out), "--no-summary"],
                   cwd=ROOT, check=True, capture_output=True)
    old, new = tree(out), variant_build.files  # old: what the `policygen build` rounds write
    (tmp_path / "builds.pickle").write_bytes(pickle.dumps((old, new)))
    rng = random.Random(15)
    gaps, left_behind, results = [], 0, []

    def watch(stop):
        while not stop.is_set():
            if not os.path.exists(out / "manifest.json"):
                gaps.append(time.monotonic())

    for round_ in range(35):
        if round_ < 30:
            args = [sys.executable, "-c", LOOP, str(tmp_path / "builds.pickle"), str(out)]
        else:
            args = [sys.executable, "-m", "policygen", "build", str(REFERENCE), "-o", str(out), "--no-summary"]
        child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if round_ < 30:
            assert child.stdout.readline() == b"ready\n"
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(stop,))
        watcher.start()
        time.sleep(rng.uniform(0.0, 0.4) if round_ < 30 else rng.uniform(0.3, 0.9))  # the CLI writes after ~0.5 s
        child.send_signal(signal.SIGKILL)
        child.wait()
        stop.set()
        watcher.join()
        child.stdout.close()
        left_behind += any(p.name.startswith(".out.") for p in tmp_path.iterdir())
        got = tree(out)
        results.append("old" if got == old else "new" if got == new else "broken")
    print(f"kills: {len(results)}, old {results.count('old')}, new {results.count('new')}, "
          f"broken {results.count('broken')}, staging left by {left_behind}, gaps {len(gaps)}")
    assert results.count("broken") == 0 and not gaps
    assert left_behind, "no kill landed inside a build: the test would not notice a broken swap"
    write_build(new, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["builds.pickle", "out"]


def test_check_reads_only_regular_files_of_the_output(tmp_path, reference_build):
    """--check on a tampered build: a link to /dev/zero, a FIFO and a link out of the folder are
    reported as different, without reading them (reading /dev/zero or a FIFO would never end)."""
    out = tmp_path / "out"
    write_build(reference_build.files, out)
    assert writer.differences(reference_build.files, out) == []
    (tmp_path / "secret.json").write_bytes(reference_build.files["manifest.json"])
    (out / "manifest.json").unlink()
    os.symlink(tmp_path / "secret.json", out / "manifest.json")
    zero = sorted(rel for rel in reference_build.files if rel.startswith("policies/"))[0]
    (out / zero).unlink()
    os.symlink("/dev/zero", out / zero)
    fifo = sorted(rel for rel in reference_build.files if rel.startswith("roles/"))[0]
    (out / fifo).unlink()
    os.mkfifo(out / fifo)
    os.symlink(tmp_path, out / "loop")
    assert writer.differences(reference_build.files, out) == sorted(["manifest.json", zero, fifo, "loop"])


def test_staging_writes_each_file_once_and_makes_each_folder_once(tmp_path, monkeypatch):
    """One mkdir per folder, not per file (a 1,000-account build has 7,648 files in 4,616 folders)."""
    files = {f"policies/acct{i % 3}/identity-policy/p{i}.json": b"{}\n" for i in range(12)} | {"manifest.json": b"{}\n"}
    made = []
    real_mkdir = os.mkdir
    monkeypatch.setattr(os, "mkdir", lambda path, *a, **k: (made.append(os.fspath(path)), real_mkdir(path, *a, **k))[1])
    write_build(files, tmp_path / "out")
    assert tree(tmp_path / "out") == files
    inside = [p for p in made if ".out.building-" in p]
    # the staging folder itself (tempfile.mkdtemp), policies, policies/acctN, policies/acctN/identity-policy
    assert len(inside) == len(set(inside)) == 1 + 1 + 3 + 3


def test_a_folder_name_already_taken_by_a_symlink_out_of_staging_is_refused(tmp_path):
    """Staging is a folder this build just made; were a link put in it anyway, nothing is written through it."""
    root, outside = tmp_path / "staging", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    os.symlink(outside, root / "policies")
    with pytest.raises(BuildError, match="resolves outside the output directory"):
        writer._make_folders(os.fspath(root), ("policies", "a"), {()}, "policies/a/x.json")
    assert list(outside.iterdir()) == []


def test_a_file_name_already_taken_by_a_symlink_is_not_followed(tmp_path):
    (tmp_path / "secret").write_bytes(b"kept")
    os.symlink(tmp_path / "secret", tmp_path / "x.json")
    with pytest.raises(OSError):
        writer._write_file(os.fspath(tmp_path / "x.json"), b"overwritten")
    assert (tmp_path / "secret").read_bytes() == b"kept"


def test_a_file_where_a_folder_must_go_fails_cleanly(tmp_path, capsys):
    with pytest.raises(BuildError, match="cannot write the build"):
        write_build({"a": b"file", "a/b.json": b"{}"}, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []
