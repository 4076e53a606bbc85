"""Turn the paths given to `policygen lint` into a Corpus of policy documents.

Each path may be an organization file, a build directory (through its manifest),
a CloudFormation template in YAML or JSON, or a policy JSON document. Folders are
walked recursively; a build directory found on the way is read through its
manifest and not walked further.
"""

from __future__ import annotations

import os
from pathlib import Path

from policygen.errors import InputError, Problem
from policygen.policydoc.document import KINDS, PolicyDoc
from policygen.parse.located import line_of, parse
from policygen.ingest.build_dir import MANIFEST, containing_build, is_build_dir, read_build
from policygen.ingest.cfn import is_template
from policygen.ingest.template import read_template
from policygen.policydoc.corpus import Corpus
from policygen.ingest.org_file import is_org_file, read_org
from policygen.ingest.plain import detect_kind, is_policy, is_share
from policygen.loader.load import read_text
from policygen.model.finding import Location
from policygen.model.span import Span
from policygen.model.kinds import SHARE

SUFFIXES = (".json", ".yaml", ".yml", ".template")
SKIPPED_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".hypothesis", ".pytest_cache", ".tox"}
SKIPPED_FILES = {".policygen.yaml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml", "package.json", "package-lock.json"}


def collect(paths: list[str], kind: str | None = None, skip_unrecognised: bool = False) -> Corpus:
    """skip_unrecognised: ignore named files that are not policies (a pre-commit hook gets every YAML file)."""
    corpus = Corpus()
    in_builds: dict[Path, set[str]] = {}
    manifests: dict[Path, set[str]] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            _walk(path, corpus, kind)
        elif path.exists():
            build = containing_build(path, manifests) if path.name != MANIFEST else None
            if build:
                in_builds.setdefault(build[0], set()).add(build[1])
            elif not (skip_unrecognised and path.suffix not in SUFFIXES):
                _read_file(path, corpus, kind, explicit=not skip_unrecognised)
        else:
            raise InputError(Problem(f"{given}: no such file or directory"))
    for root, only in sorted(in_builds.items()):
        # A file of a build is read through the build's manifest, so it keeps its kind and org-file
        # lines; the rest of the build comes along, as the other side of its cross-account paths.
        shown = _shown(Path(os.path.relpath(root)))
        read_build(root, shown, corpus)
        touched = [p if shown == "." else f"{shown}/{p}" for p in sorted(only)]
        corpus.focus.update(touched)
        corpus.files.extend(touched)
    corpus.drop_stackset_body_files({f: t for f, t in corpus.templates.items() if isinstance(t, str)})
    return corpus


def _walk(root: Path, corpus: Corpus, kind: str | None) -> None:
    if is_build_dir(root):
        corpus.files.append(str(root))
        read_build(root, _shown(root), corpus)
        return
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.name in SKIPPED_DIRS or entry.name in SKIPPED_FILES:
            continue
        path = Path(entry.path)
        if entry.is_dir():
            _walk(path, corpus, kind)
        elif path.suffix in SUFFIXES:
            _read_file(path, corpus, kind, explicit=False)


def _shown(path: Path) -> str:
    text = os.path.normpath(str(path))
    return text.replace(os.sep, "/")


def _read_file(path: Path, corpus: Corpus, kind: str | None, explicit: bool) -> None:
    shown = _shown(path)
    text = read_text(path)
    data = parse(text, shown)
    if is_org_file(data):
        read_org(text, shown, corpus)
    elif is_template(data):
        corpus.add_template(read_template(data, shown), shown, text)
    elif is_policy(data) or is_share(data):
        chosen = kind or (SHARE if is_share(data) else detect_kind(shown, data))
        if chosen not in KINDS:
            raise InputError(Problem(f"unknown policy kind '{chosen}'; one of: {', '.join(KINDS)}"))
        corpus.docs.append(PolicyDoc(kind=chosen, body=data, location=Location(shown, line_of(data, 1)), name=path.stem))
    elif explicit:
        raise InputError(Problem(
            f"{shown}: not an organization file, CloudFormation template, policy document or build directory",
            Span(shown, 1, 1)))
    else:
        return
    corpus.files.append(shown)
