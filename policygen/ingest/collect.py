"""Turn the paths given to `policygen lint` into a Corpus of policy documents.

Each path may be an organization file, a build directory (through its manifest),
a CloudFormation template in YAML or JSON, or a policy JSON document. Folders are
walked recursively; a build directory found on the way is read through its
manifest and not walked further.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Iterator

from policygen.cycles import collection_paused
from policygen.errors import InputError, Problem
from policygen.policydoc.document import KINDS, PolicyDoc
from policygen.parse.located import line_of, parse
from policygen.ingest.authorization_details import is_authorization_details, read_authorization_details
from policygen.ingest.build_dir import MANIFEST, containing_build, is_build_dir, read_build
from policygen.ingest.cfn import is_template
from policygen.ingest.template import read_template
from policygen.policydoc.corpus import Corpus, SkippedInput
from policygen.ingest.org_file import is_org_file, read_org
from policygen.ingest.plain import detect_kind, is_policy, is_share
from policygen.loader.load import file_kind, read_text
from policygen.model.finding import Location
from policygen.model.span import Span
from policygen.model.kinds import SHARE

SUFFIXES = (".json", ".yaml", ".yml", ".template")
SKIPPED_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".hypothesis", ".pytest_cache", ".tox"}
SKIPPED_FILES = {".policygen.yaml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml", "package.json", "package-lock.json"}
STAGING = re.compile(r"^\..+\.(building|old)-")  # a build killed mid-swap leaves .NAME.building-* / .NAME.old-*


def collect(paths: list[str], kind: str | None = None, skip_unrecognised: bool = False,
            unreadable: list[Problem] | None = None, ready: Callable[[Corpus, list[PolicyDoc]], None] | None = None) -> Corpus:
    """skip_unrecognised: ignore named files that are not policies (a pre-commit hook gets every YAML file).

    Every file that cannot be read is reported: appended to `unreadable` when the caller gives a list
    (lint turns each into a finding), else in one InputError at the end. Files the walk does not read
    (links out of the named folder, loops, FIFOs, devices) are PG005 findings.
    ready: called with the corpus and documents of a build folder that are complete while the rest is still read
    (`read_build`); each document reaches it at most once, and it may see some that a later error leaves out.
    """
    with collection_paused():
        return _collect(paths, kind, skip_unrecognised, unreadable, ready)


def _collect(paths: list[str], kind: str | None, skip_unrecognised: bool, unreadable: list[Problem] | None,
             ready: Callable[[Corpus, list[PolicyDoc]], None] | None = None) -> Corpus:
    reader = _Reader(Corpus(), kind, ready)
    in_builds: dict[Path, set[str]] = {}
    manifests: dict[Path, set[str]] = {}
    for given in paths:
        path = Path(given)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            broken = " (a broken symbolic link)" if path.is_symlink() else ""
            reader.problems.append(Problem(f"{given}: no such file or directory{broken}"))
            continue
        except OSError as exc:
            reader.problems.append(Problem(f"{given}: cannot read ({exc.strerror})"))
            continue
        if stat.S_ISDIR(mode):
            reader.walk(path)
        elif not stat.S_ISREG(mode):
            if not (skip_unrecognised and path.suffix not in SUFFIXES):
                reader.skip(path, f"a {file_kind(mode)}, not a regular file: not read")
        else:
            build = containing_build(path, manifests) if path.name != MANIFEST else None
            if build:
                in_builds.setdefault(build[0], set()).add(build[1])
            elif not (skip_unrecognised and path.suffix not in SUFFIXES):
                reader.read(path, explicit=not skip_unrecognised)
    corpus = reader.corpus
    for root, only in sorted(in_builds.items()):
        # A file of a build is read through the build's manifest, so it keeps its kind and org-file
        # lines; the rest of the build comes along, as the other side of its cross-account paths.
        shown = _shown(Path(os.path.relpath(root)))
        reader.guard(read_build, root, shown, corpus)
        touched = [p if shown == "." else f"{shown}/{p}" for p in sorted(only)]
        corpus.focus.update(touched)
        corpus.files.extend(touched)
    corpus.drop_stackset_body_files({f: t for f, t in corpus.templates.items() if isinstance(t, str)})
    if reader.problems and unreadable is not None:
        unreadable.extend(reader.problems)
    elif reader.problems:
        raise InputError(reader.problems, more=reader.unworded)
    return corpus


class _Reader:
    def __init__(self, corpus: Corpus, kind: str | None, ready: Callable[[Corpus, list[PolicyDoc]], None] | None = None):
        self.corpus, self.kind, self.ready = corpus, kind, ready
        self.problems: list[Problem] = []
        self.unworded = 0  # problems beyond those an input's error words (counted only)

    def skip(self, path: Path, reason: str) -> None:
        self.corpus.skipped.append(SkippedInput(Location(_shown(path), 1), reason))

    def guard(self, step, *args) -> None:
        """Run one reading step; an unreadable input is remembered and the run goes on to the next."""
        try:
            step(*args)
        except InputError as exc:
            self.problems.extend(exc.problems)
            self.unworded += exc.unworded

    def read(self, path: Path, explicit: bool) -> None:
        self.guard(_read_file, path, self.corpus, self.kind, explicit)

    def walk(self, root: Path) -> None:
        """Depth first, in name order, without recursion; never leaves the real folder named."""
        inside = os.path.realpath(root)
        seen: set[tuple[int, int]] = set()
        stack = [self._enter(root, seen)]
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                continue
            if entry.name in SKIPPED_DIRS or entry.name in SKIPPED_FILES or STAGING.match(entry.name):
                continue
            path = Path(entry.path)
            wanted = path.suffix in SUFFIXES
            try:
                if entry.is_symlink() and os.path.commonpath([inside, os.path.realpath(entry.path)]) != inside:
                    if wanted or os.path.isdir(entry.path):
                        self.skip(path, f"a symbolic link to a place outside {_shown(root)}: not followed")
                    continue
                mode = path.stat().st_mode
            except FileNotFoundError:
                if wanted:
                    self.skip(path, "a broken symbolic link: not read")
                continue
            except OSError as exc:
                self.problems.append(Problem(f"{_shown(path)}: cannot read ({exc.strerror})"))
                continue
            if stat.S_ISDIR(mode):
                stack.append(self._enter(path, seen))
            elif wanted and not stat.S_ISREG(mode):
                self.skip(path, f"a {file_kind(mode)}, not a regular file: not read")
            elif wanted:
                self.read(path, explicit=False)

    def _enter(self, folder: Path, seen: set) -> Iterator[os.DirEntry]:
        """The folder's entries in name order; nothing for a folder already read, a build or an unreadable one."""
        try:
            info = folder.stat()
        except OSError as exc:
            self.problems.append(Problem(f"{_shown(folder)}: cannot read ({exc.strerror})"))
            return iter(())
        if (info.st_dev, info.st_ino) in seen:
            self.skip(folder, "a symbolic link back into a folder already read (a loop): not followed")
            return iter(())
        seen.add((info.st_dev, info.st_ino))
        if is_build_dir(folder):
            self.corpus.files.append(str(folder))
            self.guard(read_build, folder, _shown(folder), self.corpus, self.ready)
            return iter(())
        try:
            with os.scandir(folder) as listing:
                return iter(sorted(listing, key=lambda e: e.name))
        except OSError as exc:
            self.problems.append(Problem(f"{_shown(folder)}: cannot read the folder ({exc.strerror})"))
            return iter(())


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
    elif is_authorization_details(data):
        read_authorization_details(data, shown, corpus)
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
