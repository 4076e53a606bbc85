"""A build directory, read through its manifest: each policy with its kind and organization-file lines."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePosixPath

from policygen.errors import InputError, Problem
from policygen.policydoc.document import IAM_POLICIES, SHARE, PolicyDoc
from policygen.parse.located import line_of, parse
from policygen.ingest.cfn import template_docs
from policygen.policydoc.corpus import Corpus, ModifiedArtifact
from policygen.model.facts import ResourceFacts
from policygen.model.finding import Location
from policygen.model.manifest import Manifest
from policygen.model.span import Span
from policygen.model.kinds import ROLE, STACKSET, TEMPLATE

MANIFEST = "manifest.json"


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
                    listed[folder] = {a.path for a in _manifest(folder, str(folder)).artifacts}
                except InputError:
                    listed[folder] = set()
            relative = path.resolve().relative_to(folder).as_posix()
            return (folder, relative) if relative in listed[folder] else None
    return None


def _manifest(root: Path, shown: str) -> Manifest:
    """The build's manifest, or an InputError naming it: unreadable, not ours, or of another format."""
    file = f"{shown}/{MANIFEST}"
    try:
        return Manifest.from_dict(json.loads((root / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:  # ManifestFormatError and JSONDecodeError are ValueErrors
        raise InputError(Problem(f"not a policygen manifest this version reads ({exc})", Span(file, 1, 1))) from None


def read_build(root: Path, shown: str, corpus: Corpus) -> None:
    """Every artifact of the build, through its manifest."""
    manifest = _manifest(root, shown)
    # The manifest names the organization file relative to the build folder; findings name it from here.
    source = manifest.source if PurePosixPath(manifest.source).is_absolute() else _shown_path(f"{shown}/{manifest.source}")
    corpus.add_organization(manifest.organization)
    for entry in manifest.artifacts:
        path = root / entry.path
        file = entry.path if shown == "." else f"{shown}/{entry.path}"
        try:
            raw = path.read_bytes()
        except OSError:
            raise InputError(Problem(f"{file}: listed in {MANIFEST} but missing; rebuild", Span(file, 1, 1))) from None
        modified = hashlib.sha256(raw).hexdigest() != entry.sha256
        if modified:
            corpus.modified.append(ModifiedArtifact(Location(file, 1), Location(source, entry.source_line or 1)))
        kind = entry.kind
        if kind in IAM_POLICIES or kind == SHARE:
            body = parse(raw.decode("utf-8", errors="replace"), file)
            corpus.docs.append(PolicyDoc(
                kind=kind, body=body, location=Location(file, line_of(body, 1)), name=entry.name,
                account_id=entry.account_id, origin_file=source, origin_line=entry.source_line,
                statement_origins={s.sid: s.source_line for s in entry.statements},
                declared=entry.declared or ResourceFacts(),
            ))
        elif kind == ROLE:
            corpus.roles.append({**json.loads(raw), "AccountId": entry.account_id})
        if kind in (TEMPLATE, STACKSET):
            corpus.templates[file] = path
        if kind in (TEMPLATE, STACKSET) and modified:
            # The policies of an unmodified template are the JSON files above; a hand-edited one is linted as written.
            docs, suppressions = template_docs(parse(raw.decode("utf-8", errors="replace"), file), file)
            corpus.docs.extend(docs)
            corpus.suppressions.extend(suppressions)


def _shown_path(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")
