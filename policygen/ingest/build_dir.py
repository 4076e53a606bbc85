"""A build directory, read through its manifest: each policy with its kind and organization-file lines."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from policygen.errors import InputError, Problem
from policygen.policydoc.document import IAM_POLICIES, SHARE, PolicyDoc
from policygen.parse.located import line_of, parse
from policygen.ingest.cfn import template_docs
from policygen.policydoc.corpus import Corpus, ModifiedArtifact
from policygen.model.finding import Location
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
                    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
                    listed[folder] = {a["path"] for a in manifest["artifacts"]}
                except (OSError, ValueError, KeyError, TypeError):
                    listed[folder] = set()
            relative = path.resolve().relative_to(folder).as_posix()
            return (folder, relative) if relative in listed[folder] else None
    return None


def read_build(root: Path, shown: str, corpus: Corpus) -> None:
    """Every artifact of the build, through its manifest."""
    manifest_path = root / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        artifacts = manifest["artifacts"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(Problem(f"{shown}/{MANIFEST}: not a policygen manifest ({exc})", Span(f"{shown}/{MANIFEST}", 1, 1))) from None
    source = manifest.get("source") or "organization file"
    corpus.add_organization({**manifest["organization"], "source": source} if manifest.get("organization") else None)
    for entry in artifacts:
        path = root / entry["path"]
        file = entry["path"] if shown == "." else f"{shown}/{entry['path']}"
        try:
            raw = path.read_bytes()
        except OSError:
            raise InputError(Problem(f"{file}: listed in {MANIFEST} but missing; rebuild", Span(file, 1, 1))) from None
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
            corpus.roles.append({**json.loads(raw), "AccountId": entry.get("account_id")})
        if kind in (TEMPLATE, STACKSET):
            corpus.templates[file] = path
        if kind in (TEMPLATE, STACKSET) and modified:
            # The policies of an unmodified template are the JSON files above; a hand-edited one is linted as written.
            docs, suppressions = template_docs(parse(raw.decode("utf-8", errors="replace"), file), file)
            corpus.docs.extend(docs)
            corpus.suppressions.extend(suppressions)
