"""Write a build: every file plus manifest.json, atomically, never outside the output directory.

The output folder is replaced only when it is empty or a policygen build (its manifest's `format`
and `generator` say so), and never when it holds the organization file being built. The new build
is written to a hidden sibling `.NAME.building-*` and exchanged with the old one in one atomic
step (renameat2 RENAME_EXCHANGE on Linux, renamex_np RENAME_SWAP on macOS), so the output path
holds a complete build at every instant. Builds into one folder serialise on `.NAME.lock`; the
staging folders a killed build leaves are removed by the next one. docs/design.md says why.
"""

from __future__ import annotations

import ctypes
import errno
from policygen.progress import track
import hashlib
import json
import os
import secrets
import shutil
import stat
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

try:
    import fcntl
except ImportError:  # Windows: builds into one folder are not serialised
    fcntl = None

from policygen import __version__
from policygen.errors import BuildError
from policygen.generate import json_emit
from policygen.model.artifact import Artifact
from policygen.model.facts import OrgFacts
from policygen.model.manifest import GENERATOR_PREFIX, Manifest

MANIFEST = "manifest.json"
LOCK_TIMEOUT = 120.0  # seconds a build waits for another build into the same folder


def manifest_bytes(artifacts: list[Artifact], source_name: str, source_text: str, organization: OrgFacts | None = None,
                   coverage: list[dict] | None = None) -> bytes:
    """coverage: per role, the actions granted, used by a workflow call, and granted with a written reason."""
    manifest = Manifest(generator=f"{GENERATOR_PREFIX}{__version__}", source=source_name,
                        source_sha256=hashlib.sha256(source_text.encode()).hexdigest(), organization=organization,
                        artifacts=tuple(a.manifest_entry() for a in artifacts),
                        coverage=tuple(coverage) if coverage is not None else None)
    return (json_emit.dumps(manifest.to_dict()) + "\n").encode()  # json.dumps(indent=2)'s bytes, faster


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or any(p in ("", ".") for p in rel.parts):
        raise BuildError(f"refusing to write {path!r}: not a plain path inside the output directory")
    return rel


def files_of(artifacts: list[Artifact], manifest: bytes) -> dict[str, bytes]:
    files = {str(_safe_relative(a.path)): a.content for a in artifacts}
    files[MANIFEST] = manifest
    return files


def is_build(folder: Path) -> bool:
    """True when folder holds a manifest.json that policygen wrote (read only if it is a regular file):
    a JSON object with an integer `format` and a `generator` of "policygen <version>"."""
    manifest = Path(folder) / MANIFEST
    try:
        if not stat.S_ISREG(os.lstat(manifest).st_mode):
            return False
        data = json.loads(manifest.read_bytes())
    except (OSError, ValueError, RecursionError):
        return False
    if not isinstance(data, dict):
        return False
    generator = data.get("generator")
    # any format version: a build of an older (or newer) policygen is still policygen's to replace
    return (type(data.get("format")) is int and data["format"] >= 1 and isinstance(generator, str)
            and generator.startswith(GENERATOR_PREFIX))


def write_build(files: dict[str, bytes], out_dir: Path, *, protect: tuple[Path, ...] = (),
                lock_timeout: float = LOCK_TIMEOUT) -> None:
    """Write files as the build at out_dir. A failure leaves out_dir as it was; so does a kill at any point.

    `protect` names files the build must not delete (the organization file): an output folder
    holding one is refused. Every problem with the output location is a BuildError (exit 2).
    """
    out_dir = Path(out_dir)
    for rel in files:
        _safe_relative(rel)
    created: list[Path] = []
    try:
        real = _real_output(out_dir, created)
        with _locked(real, out_dir, lock_timeout):
            _recover_and_clean(real)
            _check_replaceable(real, out_dir, protect)
            staging = _stage(files, real)
            try:
                _swap(staging, real)
            finally:
                if os.path.lexists(staging):
                    shutil.rmtree(staging, ignore_errors=True)
    except BaseException as exc:
        for folder in reversed(created):  # parent folders this build made, if they are still empty
            try:
                os.rmdir(folder)
            except OSError:
                break
        if isinstance(exc, OSError):
            raise BuildError(f"cannot write the build to {out_dir}: {_reason(exc)}") from None
        raise


def _reason(exc: OSError) -> str:
    text = exc.strerror or str(exc)
    if exc.errno == errno.EBUSY:
        text += " (a mount point cannot be replaced; build into a folder inside it)"
    return f"{text}: {exc.filename}" if exc.filename else text


def _real_output(out: Path, created: list[Path]) -> Path:
    """The folder the build goes to, symlinks resolved. Missing parent folders are created, but
    never through a symlink: a dangling link anywhere on the way is refused before anything is made."""
    path = Path(os.path.abspath(out))
    if path == Path(path.anchor):
        raise BuildError(f"refusing to build into {out}: it is the root of the file system")
    missing = []
    for ancestor in [*reversed(path.parents)][1:]:
        if missing or not os.path.lexists(ancestor):
            missing.append(ancestor)
        elif not ancestor.is_dir():
            what = "a symlink to a missing folder" if ancestor.is_symlink() else "a file, not a folder"
            raise BuildError(f"cannot write the build to {out}: {ancestor} is {what}")
    for folder in missing:
        os.mkdir(folder)
        created.append(folder)
    parent = Path(os.path.realpath(path.parent))
    if os.path.islink(path):
        target = Path(os.path.realpath(path))
        if not target.is_dir():
            what = "a missing folder" if not os.path.lexists(target) else "something that is not a folder"
            raise BuildError(f"cannot write the build to {out}: it is a symlink to {what} ({target}); "
                             "create the folder or remove the link")
        return target
    real = parent / path.name
    if os.path.lexists(real) and not real.is_dir():
        raise BuildError(f"cannot write the build to {out}: it is a file, not a folder")
    return real


@contextmanager
def _locked(real: Path, out: Path, timeout: float):
    """An exclusive flock on `.NAME.lock` beside the output, removed on release. A waiter that finds
    the file it locked already unlinked (or replaced) by the previous holder tries again."""
    path = real.parent / f".{real.name}.lock"
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise BuildError(f"cannot write the build to {out}: no file can be created in {real.parent} "
                             f"({exc.strerror or exc})") from None
        try:
            while fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise BuildError(f"another build into {out} is running (it holds {path}); "
                                         f"gave up after {timeout:g} s") from None
                    time.sleep(0.05)
            try:
                current = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                current = None
            held = os.fstat(fd)
            if current is not None and (current.st_dev, current.st_ino) == (held.st_dev, held.st_ino):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        os.close(fd)


def _staging_names(real: Path) -> tuple[str, str]:
    return f".{real.name}.building-", f".{real.name}.old-"


def _recover_and_clean(real: Path) -> None:
    """Under the lock, every staging folder belongs to a build that died. If one died between the two
    renames of the fallback swap (no output, the old build in `.NAME.old-*`), put the old build back."""
    building, old = _staging_names(real)
    stale = [e for e in os.scandir(real.parent) if e.name.startswith((building, old)) and e.is_dir(follow_symlinks=False)]
    if not os.path.lexists(real):
        retired = sorted((e for e in stale if e.name.startswith(old) and is_build(Path(e.path))),
                         key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns)
        if retired:
            os.rename(retired[-1].path, real)
            stale.remove(retired[-1])
    for entry in stale:
        shutil.rmtree(entry.path, ignore_errors=True)


def _check_replaceable(real: Path, out: Path, protect: tuple[Path, ...]) -> None:
    for file in protect:
        held = Path(os.path.realpath(file))
        if held == real or real in held.parents:
            raise BuildError(f"refusing to build into {out}: it holds the organization file {file}, which the "
                             "build would delete; choose another output folder")
    if not os.path.lexists(real):
        return
    try:
        empty = not any(os.scandir(real))
    except OSError as exc:
        raise BuildError(f"cannot write the build to {out}: {_reason(exc)}") from None
    if not empty and not is_build(real):
        raise BuildError(f"refusing to replace {out}: it is not empty and not a policygen build (no {MANIFEST} "
                         "written by policygen); choose an empty or new folder")


def _stage(files: dict[str, bytes], real: Path) -> Path:
    staging = Path(tempfile.mkdtemp(prefix=_staging_names(real)[0], dir=real.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        mode = stat.S_IMODE(os.stat(real).st_mode) if os.path.isdir(real) else 0o777 & ~umask
        os.chmod(staging, mode)
        root = os.path.realpath(staging)
        made: set[tuple[str, ...]] = {()}  # folders known to be real folders inside root
        for rel, content in track(sorted(files.items()), "writing files"):
            parts = PurePosixPath(rel).parts
            if parts[:-1] not in made:
                _make_folders(root, parts[:-1], made, rel)
            _write_file(os.path.join(root, *parts), content)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _make_folders(root: str, folder: tuple[str, ...], made: set[tuple[str, ...]], rel: str) -> None:
    """Create folder (and its missing parents) under root, each once per build: a 1,000-account build
    has 7,648 files in 4,616 folders, and a mkdir or a realpath per file was a fifth of its time.
    A folder this makes is a real folder inside root (mkdir never follows a symlink); only a name
    that was already there (a file of the build, or something put in the staging folder from outside)
    is resolved, and refused when it leads outside."""
    for depth in range(1, len(folder) + 1):
        sub = folder[:depth]
        if sub in made:
            continue
        path = os.path.join(root, *sub)
        try:
            os.mkdir(path)
        except FileExistsError:
            if os.path.commonpath([root, os.path.realpath(path)]) != root:
                raise BuildError(f"refusing to write {rel!r}: it resolves outside the output directory") from None
            if not os.path.isdir(path):
                raise
        made.add(sub)


# O_NOFOLLOW: the file's own name is never followed, so no symlink can send a write outside the build.
_WRITE_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
                | getattr(os, "O_BINARY", 0))


def _write_file(path: str, content: bytes) -> None:
    fd = os.open(path, _WRITE_FLAGS, 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _swap(staging: Path, real: Path) -> None:
    """Put staging at real. With an atomic exchange the old build ends up at staging (the caller
    removes it); without one (another OS, a file system that cannot), two renames."""
    if not os.path.lexists(real):
        if not _rename2(staging, real, exchange=False):
            os.rename(staging, real)
        return
    if _rename2(staging, real, exchange=True):
        return
    retired = real.parent / f"{_staging_names(real)[1]}{secrets.token_hex(6)}"
    os.rename(real, retired)
    os.rename(staging, real)
    shutil.rmtree(retired, ignore_errors=True)


_AT_FDCWD = -100
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _rename2(src: Path, dst: Path, *, exchange: bool) -> bool:
    """Atomically exchange src and dst (exchange=True) or move src to a dst that must not exist.
    False when the system or the file system offers no such call; other failures raise OSError."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    if hasattr(libc, "renameat2"):
        call = libc.renameat2
        call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        args = (_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), 2 if exchange else 1)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        call = libc.renamex_np
        call.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        args = (os.fsencode(src), os.fsencode(dst), 2 if exchange else 4)  # RENAME_SWAP, RENAME_EXCL
    else:
        return False
    if call(*args) == 0:
        return True
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(dst))


def differences(files: dict[str, bytes], out_dir: Path) -> list[str]:
    """Relative paths that are missing, different or extra in out_dir, sorted. Only regular files are
    read (and only when their size matches); a symlink, FIFO or device in out_dir counts as different."""
    out_dir = Path(out_dir)
    present: dict[str, os.stat_result] = {}
    if out_dir.is_dir():
        for folder, dirs, names in os.walk(out_dir):
            for name in names + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
                full = os.path.join(folder, name)
                present[Path(full).relative_to(out_dir).as_posix()] = os.lstat(full)

    def same(rel: str, content: bytes) -> bool:
        st = present.get(rel)
        if st is None or not stat.S_ISREG(st.st_mode) or st.st_size != len(content):
            return False
        try:
            return (out_dir / rel).read_bytes() == content
        except OSError:
            return False

    changed = [rel for rel, content in files.items() if not same(rel, content)]
    extra = set(present) - set(files)
    return sorted(set(changed) | extra)
