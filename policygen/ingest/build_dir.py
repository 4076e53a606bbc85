"""A build directory, read through its manifest: each policy with its kind and organization-file lines."""

from __future__ import annotations

import hashlib
from dataclasses import replace
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple
from pathlib import Path, PurePosixPath, PureWindowsPath

from policygen.errors import InputError, Problem
from policygen.policydoc.document import IAM_POLICIES, SHARE, PolicyDoc
from policygen.parse.located import line_of, parse
from policygen.ingest.template import read_template
from policygen.policydoc.corpus import Corpus, ModifiedArtifact, SkippedInput
from policygen.loader.load import decode, read_bytes, read_text
from policygen.model.facts import ResourceFacts
from policygen.model.finding import Location
from policygen.model.manifest import Manifest, ManifestEntry
from policygen.model.span import Span
from policygen.model.kinds import STACKSET, TEMPLATE

MANIFEST = "manifest.json"
# The manifest is policygen's own index of a build: it lists every artifact with its statements' lines
# and the grant-coverage table, so it grows with the organization (about 12 KB per account; 12 MB at
# 1,000 accounts, 60 MB at 5,000), past the 8 MiB that bounds any one input. It is read by the standard
# JSON decoder, not the located composer, so only its size needs a bound, and this one still stops a
# link to /dev/zero.
MANIFEST_BYTES = 256 * 1024 * 1024


def _outside(inside: str, name: object, real: "_RealPaths | None" = None) -> str | None:
    """Why an artifact path may not be read, or None when it names a file inside the build folder.

    The path itself is not repeated: a hostile manifest must not get its text into a report.
    `real` resolves the paths of one build (its folders once each); without it, each path is resolved alone.
    """
    if not isinstance(name, str) or not name or "\x00" in name:
        return f"an artifact in {MANIFEST} has no usable path: not read"
    # pathlib's parsing is the slow part; a drive needs a colon and a '..' part needs '..'.
    if name.startswith(("/", "\\")) or (":" in name and PureWindowsPath(name).drive):
        return f"an artifact path in {MANIFEST} is absolute: not read"
    if ".." in name and ".." in PurePosixPath(name.replace("\\", "/")).parts:
        return f"an artifact path in {MANIFEST} contains '..': not read"
    target = (real or _RealPaths(inside)).resolve(name)
    if target is not None and os.path.commonpath([inside, target]) != inside:
        return f"an artifact path in {MANIFEST} leads outside the build folder (a symbolic link): not read"
    return None


# A path written plainly: names separated by single slashes, no "." or ".." part, no trailing slash.
_PLAIN_PATH = re.compile(r"(?!\.\.?(?:/|$))[^/]+(?:/(?!\.\.?(?:/|$))[^/]+)*")


class _RealPaths:
    """`os.path.realpath` of the paths inside one folder, resolving each folder once.

    realpath resolves every part of a path again (a 1,000-account build has 7,647 artifacts under 4,616
    folders: 50,000 lstat calls). It resolves left to right, so the real path of `a/b` is the real path
    of `a` joined with `b`, followed when `b` is a symbolic link: with the folders remembered, a path costs
    one lstat. Paths that are not written plainly go to realpath itself."""

    def __init__(self, inside: str):
        self.inside = inside
        self.folders: dict[str, str] = {"": inside}  # folder as written -> its real path

    def resolve(self, name: str) -> str | None:
        """The real path of `name`, or None when it is known to stay inside (no symbolic link on the way)."""
        if not _PLAIN_PATH.fullmatch(name):
            return os.path.realpath(os.path.join(self.inside, name))
        folder, _, base = name.rpartition("/")
        real = self._step(self._folder(folder), base)
        return None if real == f"{self.inside}/{name}" else real

    def _folder(self, folder: str) -> str:
        known = self.folders.get(folder)
        if known is None:
            parent, _, base = folder.rpartition("/")
            known = self.folders[folder] = self._step(self._folder(parent), base)
        return known

    @staticmethod
    def _step(real_parent: str, base: str) -> str:
        path = f"{real_parent}/{base}"
        return os.path.realpath(path) if os.path.islink(path) else path


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
        return Manifest.from_dict(json.loads(read_text(root / MANIFEST, MANIFEST_BYTES)))
    except InputError:
        raise
    except (OSError, ValueError) as exc:  # ManifestFormatError and JSONDecodeError are ValueErrors
        raise InputError(Problem(f"not a policygen manifest this version reads ({exc})", Span(file, 1, 1))) from None


def read_build(root: Path, shown: str, corpus: Corpus,
               ready: Callable[[Corpus, list[PolicyDoc]], None] | None = None) -> None:
    """A build as it deploys: the policies of its templates (StackSet bodies instantiated per target),
    with the organization-file lines the manifest records. The JSON copies under policies/ must say the
    same as the templates; a copy that does not is reported, and the template is what is judged.

    ready: called with the corpus and documents once they are complete (lint checks them while the rest
    is read). A document is complete once every JSON copy of its account is read: so each template is
    read just after its own account's copies (`_reading_order`), not after every copy of the build, and
    a document of another account (a StackSet instance) waits for that account's. What is read, and in
    what order the corpus lists it, is the manifest's either way."""
    manifest = _manifest(root, shown)
    # The manifest names the organization file relative to the build folder; findings name it from here.
    source = manifest.source if PurePosixPath(manifest.source).is_absolute() else _shown_path(f"{shown}/{manifest.source}")
    corpus.add_organization(replace(manifest.organization, source=source) if manifest.organization else None)
    artifacts = manifest.artifacts
    copies = _Copies()
    strings: dict = {}  # the templates' strings, shared between templates (`located.parse`)
    modified: list[tuple[int, ModifiedArtifact]] = []
    skipped: list[tuple[int, SkippedInput]] = []
    templates: dict[int, tuple[str, Path]] = {}
    deployed: list[PolicyDoc] = []
    inside = os.path.realpath(root)
    real = _RealPaths(inside)
    waiting = _Waiting(Counter(e.account_id for e in artifacts if _is_copy(e)))
    for position in _reading_order(artifacts):
        entry = artifacts[position]
        outside = _outside(inside, entry.path, real)
        if _is_copy(entry):
            waiting.copy_read(entry.account_id)
        if outside:  # never read, never echoed: a hostile manifest must not pull other files into a report
            skipped.append((position, SkippedInput(Location(f"{shown}/{MANIFEST}", 1), outside, rule="PG006")))  # lint.meta.OUTSIDE
            continue
        file = entry.path if shown == "." else f"{shown}/{entry.path}"
        raw = _read_artifact(root / entry.path, file)
        if hashlib.sha256(raw).hexdigest() != entry.sha256:
            modified.append((position, ModifiedArtifact(Location(file, 1), Location(source, entry.source_line or 1))))
        if _is_copy(entry):
            copies.add(position, entry, file, _copy_body(raw, file))
        elif entry.kind in (TEMPLATE, STACKSET):
            templates[position] = (file, root / entry.path)
        if entry.kind == TEMPLATE:
            read = read_template(parse(decode(raw, file), file, strings), file, manifest.organization)
            deployed.extend(read.docs)
            corpus.roles.extend({**role, "File": file} for role in read.roles)
            corpus.suppressions.extend(read.suppressions)
            _hand_on(waiting.complete_with(read.docs), copies, source, corpus, ready)
    # A StackSet body file holds nothing its StackSet resource did not deploy already (its instances above).
    _hand_on(waiting.rest(), copies, source, corpus, ready)
    corpus.templates.update(templates[p] for p in sorted(templates))
    corpus.skipped.extend(found for _, found in sorted(skipped, key=lambda pf: pf[0]))
    corpus.modified.extend(found for _, found in sorted(modified, key=lambda pf: pf[0]))
    corpus.docs.extend(deployed)
    corpus.differing_copies.extend(ModifiedArtifact(Location(file, line), Location(source, entry.source_line or 1))
                                   for entry, file, line in copies.differing())


class _Waiting:
    """Documents read but not complete yet, by the account whose JSON copies they wait for."""

    def __init__(self, unread: Counter):
        self.unread = unread  # account id -> its copies not read yet
        self.by_account: dict[str | None, list[PolicyDoc]] = {}
        self.completed: list[str | None] = []  # accounts whose last copy was read since complete_with

    def copy_read(self, account: str | None) -> None:
        self.unread[account] -= 1
        if not self.unread[account]:
            self.completed.append(account)

    def complete_with(self, docs: list[PolicyDoc]) -> list[PolicyDoc]:
        """Those of the documents whose account's copies are all read, and those that waited for an
        account completed since the last call; the others wait."""
        out = []
        for doc in docs:
            if self.unread[doc.account_id]:
                self.by_account.setdefault(doc.account_id, []).append(doc)
            else:
                out.append(doc)
        for account in self.completed:
            out.extend(self.by_account.pop(account, []))
        self.completed = []
        return out

    def rest(self) -> list[PolicyDoc]:
        return [doc for docs in self.by_account.values() for doc in docs]


def _is_copy(entry: ManifestEntry) -> bool:
    return entry.kind in IAM_POLICIES or entry.kind == SHARE


def _reading_order(artifacts: list[ManifestEntry]) -> list[int]:
    """Positions in the manifest, each template just after the copies of its account (in the manifest's
    order), then everything else in the manifest's order."""
    copies_of: dict[str | None, list[int]] = {}
    for position, entry in enumerate(artifacts):
        if _is_copy(entry):
            copies_of.setdefault(entry.account_id, []).append(position)
    order: list[int] = []
    for position, entry in enumerate(artifacts):
        if entry.kind == TEMPLATE:
            order.extend(copies_of.pop(entry.account_id, []))
            order.append(position)
    taken = set(order)
    return order + [p for p in range(len(artifacts)) if p not in taken]


def _hand_on(docs: list[PolicyDoc], copies: "_Copies", source: str, corpus: Corpus, ready) -> None:
    """Complete the documents and hand them to `ready` (if any)."""
    _complete(docs, copies, source)
    if ready is not None and docs:
        ready(corpus, docs)


def _complete(docs: list[PolicyDoc], copies: "_Copies", source: str) -> None:
    """Each document with what its JSON copy's manifest entry says: the org-file lines and declared facts."""
    for doc in docs:
        entry = copies.match(doc)
        if entry is not None:
            doc.origin_file, doc.origin_line = source, entry.source_line
            doc.statement_origins = {s.sid: s.source_line for s in entry.statements}
            doc.declared = _declared(entry.declared, doc.declared)
        else:  # written into a template by hand: the org file says nothing about it
            doc.origin_file = None


def _copy_body(raw: bytes, file: str):
    """A JSON copy is only compared with its template's document, never linted, so it needs no lines:
    the C decoder reads it (a third of a 1,000-account lint went to locating copies). Anything it
    refuses (nesting past its recursion, a huge integer, not JSON at all) goes through the located
    reader, which names the problem and its place."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return parse(decode(raw, file), file)
    return body if isinstance(body, dict) else parse(decode(raw, file), file)


def _read_artifact(path: Path, file: str) -> bytes:
    if not path.exists():
        raise InputError(Problem(f"listed in {MANIFEST} but missing; rebuild", Span(file, 1, 1)))
    return read_bytes(path)  # bounded, and a FIFO or device is refused rather than read


# What a share's JSON copy and its AWS::RAM::ResourceShare properties both say (the copy adds a Purpose).
SHARE_FIELDS = ("Name", "AllowExternalPrincipals", "Principals", "ResourceArns", "PermissionArns")


def _text(kind: str, body) -> str:
    """What a document and its JSON copy are compared by: the body as canonical JSON."""
    if kind == SHARE and isinstance(body, dict):
        body = {k: body[k] for k in SHARE_FIELDS if k in body}
    return json.dumps(body, sort_keys=True)


class _Copy(NamedTuple):
    """A JSON copy as it is compared, without its body (a 5,000-account build has 25,000 copies)."""
    entry: ManifestEntry
    file: str
    line: int
    text: str
    sids: frozenset


class _Copies:
    """The JSON copies read, by account and kind, and the texts of the deployed documents compared with them."""

    def __init__(self):
        self.read: list[tuple[int, _Copy]] = []  # with its position in the manifest
        self.by_owner: dict[tuple, list[_Copy]] = {}  # a document looks only at its own account's copies
        self.deployed_texts: set[tuple] = set()  # (account, kind, text) of every deployed document matched

    def add(self, position: int, entry: ManifestEntry, file: str, body) -> None:
        doc = PolicyDoc(kind=entry.kind, body=body, location=Location(file, 1))
        copy = _Copy(entry, file, line_of(body, 1), _text(entry.kind, body), frozenset(s.sid for s in doc.statements if s.sid))
        self.read.append((position, copy))
        self.by_owner.setdefault((entry.account_id, entry.kind), []).append(copy)

    def match(self, doc: PolicyDoc) -> ManifestEntry | None:
        """The manifest entry of the JSON copy a deployed document corresponds to: the identical copy, or,
        for a hand-edited template, the copy of its resource's ARN, else the one that shares most statement Sids.
        The document's text is kept for `differing`: each deployed document is matched once."""
        text = _text(doc.kind, doc.body)
        self.deployed_texts.add((doc.account_id, doc.kind, text))
        same = self.by_owner.get((doc.account_id, doc.kind), [])
        for copy in same:
            if copy.text == text:
                return copy.entry
        if doc.declared.arn:
            by_arn = [c for c in same if c.entry.declared is not None and c.entry.declared.arn == doc.declared.arn]
            if by_arn:
                return by_arn[0].entry
        sids = {s.sid for s in doc.statements if s.sid}
        scored = sorted(((len(sids & copy.sids), i) for i, copy in enumerate(same)), reverse=True)
        return same[scored[0][1]].entry if scored and scored[0][0] > 0 else None

    def differing(self) -> list[tuple[ManifestEntry, str, int]]:
        """(entry, file, line) of each copy no deployed document says the same as, in the manifest's order."""
        return [(c.entry, c.file, c.line) for _, c in sorted(self.read, key=lambda pc: pc[0])
                if (c.entry.account_id, c.entry.kind, c.text) not in self.deployed_texts]


def _declared(from_manifest: ResourceFacts | None, from_template: ResourceFacts) -> ResourceFacts:
    """What the organization file declared about the resource, completed with what the template says."""
    if from_manifest is None:
        return from_template
    return from_manifest.filled(arn=from_template.arn, key=from_template.key, aliases=from_template.aliases or None)


def _shown_path(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")
