"""Write a build: every file plus manifest.json, atomically, never outside the output directory."""

from __future__ import annotations

from policygen.progress import track
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from policygen import __version__
from policygen.errors import BuildError
from policygen.model.artifact import Artifact

MANIFEST = "manifest.json"


def manifest_bytes(artifacts: list[Artifact], source_name: str, source_text: str, organization: dict | None = None) -> bytes:
    data = {
        "format": 1,
        "generator": f"policygen {__version__}",
        "source": source_name,
        "source_sha256": hashlib.sha256(source_text.encode()).hexdigest(),
        **({"organization": organization} if organization else {}),
        "artifacts": [a.manifest_entry() for a in artifacts],
    }
    return (json.dumps(data, indent=2) + "\n").encode()


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or any(p in ("", ".") for p in rel.parts):
        raise BuildError(f"refusing to write {path!r}: not a plain path inside the output directory")
    return rel


def files_of(artifacts: list[Artifact], manifest: bytes) -> dict[str, bytes]:
    files = {str(_safe_relative(a.path)): a.content for a in artifacts}
    files[MANIFEST] = manifest
    return files


def write_build(files: dict[str, bytes], out_dir: Path) -> None:
    """Write into a fresh sibling directory, then swap it in; a failure leaves out_dir as it was."""
    out_dir = Path(out_dir)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=parent))
    try:
        root = staging.resolve()
        for rel, content in track(sorted(files.items()), "writing files"):
            target = (staging / rel).resolve()
            if root not in target.parents:
                raise BuildError(f"refusing to write {rel!r}: it resolves outside the output directory")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if out_dir.exists():
            if not (out_dir.is_dir() and (not any(out_dir.iterdir()) or (out_dir / MANIFEST).exists())):
                raise BuildError(f"{out_dir} exists and is not a policygen build (no {MANIFEST}); refusing to replace it")
            retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            os.rename(out_dir, retired / "out")
            os.rename(staging, out_dir)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def differences(files: dict[str, bytes], out_dir: Path) -> list[str]:
    """Relative paths that are missing, different or extra in out_dir, sorted."""
    out_dir = Path(out_dir)
    present = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file()} if out_dir.is_dir() else set()
    changed = [rel for rel, content in files.items() if rel not in present or (out_dir / rel).read_bytes() != content]
    extra = present - set(files)
    return sorted(set(changed) | extra)
