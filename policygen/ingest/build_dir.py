"""A build directory, read through its manifest: each policy with its kind and organization-file lines."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePosixPath, PureWindowsPath

from policygen.errors import InputError, Problem
from policygen.policydoc.document import IAM_POLICIES, SHARE, PolicyDoc
from policygen.parse.located import line_of, parse
from policygen.ingest.cfn import template_docs
from policygen.policydoc.corpus import Corpus, ModifiedArtifact, SkippedInput
from policygen.loader.load import decode, read_bytes, read_text
from policygen.model.finding import Location
from policygen.model.span import Span
from policygen.model.kinds import ROLE, STACKSET, TEMPLATE

MANIFEST = "manifest.json"


def _outside(inside: str, name: object) -> str | None:
    """Why an artifact path may not be read, or None when it names a file inside the build folder.

    The path itself is not repeated: a hostile manifest must not get its text into a report.
    """
    if not isinstance(name, str) or not name or "\x00" in name:
        return f"an artifact in {MANIFEST} has no usable path: not read"
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive:
        return f"an artifact path in {MANIFEST} is absolute: not read"
    if ".." in PurePosixPath(name.replace("\\", "/")).parts:
        return f"an artifact path in {MANIFEST} contains '..': not read"
    target = os.path.realpath(os.path.join(inside, name))
    if os.path.commonpath([inside, target]) != inside:
        return f"an artifact path in {MANIFEST} leads outside the build folder (a symbolic link): not read"
    return None


def is_build_dir(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def containing_build(path: Path, listed: dict[Path, set[str]]) -> tuple[Path, str] | None:
    """The build directory a file belongs to (listed in its manifest), with the file's path inside it.

    `listed` keeps each manifest's paths, so that a commit touching many files of one build
    reads its manifest once.
    """
    for folder in path.resolve().parents:
        if is_build_dir(folder):
            if folder not in listed:
                try:
                    manifest = json.loads(read_text(folder / MANIFEST))
                    listed[folder] = {a["path"] for a in manifest["artifacts"]}
                except (InputError, ValueError, KeyError, TypeError):
                    listed[folder] = set()
            relative = path.resolve().relative_to(folder).as_posix()
            return (folder, relative) if relative in listed[folder] else None
    return None


def read_build(root: Path, shown: str, corpus: Corpus) -> None:
    """Every artifact of the build, through its manifest."""
    manifest_path = root / MANIFEST
    try:
        manifest = json.loads(read_text(manifest_path))
        artifacts = manifest["artifacts"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(Problem(f"{shown}/{MANIFEST}: not a policygen manifest ({exc})", Span(f"{shown}/{MANIFEST}", 1, 1))) from None
    source = manifest.get("source") or "organization file"
    corpus.add_organization({**manifest["organization"], "source": source} if manifest.get("organization") else None)
    inside = os.path.realpath(root)
    for entry in artifacts:
        outside = _outside(inside, entry.get("path") if isinstance(entry, dict) else None)
        if outside:
            corpus.skipped.append(SkippedInput(Location(f"{shown}/{MANIFEST}", 1), outside, rule="PG006"))  # lint.meta.OUTSIDE
            continue
        path = root / entry["path"]
        file = entry["path"] if shown == "." else f"{shown}/{entry['path']}"
        if not path.exists():
            raise InputError(Problem(f"{file}: listed in {MANIFEST} but missing; rebuild", Span(file, 1, 1)))
        raw = read_bytes(path)
        modified = hashlib.sha256(raw).hexdigest() != entry.get("sha256")
        if modified:
            corpus.modified.append(ModifiedArtifact(Location(file, 1), Location(source, entry.get("source_line") or 1)))
        kind = entry.get("kind")
        if kind in IAM_POLICIES or kind == SHARE:
            body = parse(raw.decode("utf-8", errors="replace"), file)
            corpus.docs.append(PolicyDoc(
                kind=kind, body=body, location=Location(file, line_of(body, 1)), name=entry.get("name", ""),
                account_id=entry.get("account_id"), origin_file=source, origin_line=entry.get("source_line"),
                statement_origins={s["sid"]: s.get("source_line") for s in entry.get("statements", [])},
                declared=entry.get("declared") or {},
            ))
        elif kind == ROLE:
            role = parse(decode(raw, file), file)
            if not isinstance(role, dict):
                raise InputError(Problem("a role description must be a JSON object", Span(file, 1, 1)))
            corpus.roles.append({**role, "AccountId": entry.get("account_id")})
        if kind in (TEMPLATE, STACKSET):
            corpus.templates[file] = path
        if kind in (TEMPLATE, STACKSET) and modified:
            # The policies of an unmodified template are the JSON files above; a hand-edited one is linted as written.
            docs, suppressions = template_docs(parse(raw.decode("utf-8", errors="replace"), file), file)
            corpus.docs.extend(docs)
            corpus.suppressions.extend(suppressions)
