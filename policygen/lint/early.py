"""Document rules while a build is still being read (issue 13).

Reading a large build is one process's work: a located value per YAML value costs as much to send
to another process as to read. But a document rule needs only its document, the catalogue and the
organization's accounts, all known once a template is read. So, while this process reads on, the
documents read so far are checked in a forked child: it starts with them in memory and sends back
only their findings, through a pipe. lint then takes those findings instead of checking the
documents again; the other processes are free for the access graph.

Nothing here decides a finding: a child runs the same `engine.doc_findings` on the same documents.
A child's results are used only if it finished cleanly and the accounts and organization ids it
checked against are those of the final context; otherwise its documents are checked again in the
map, as they would have been without it. Without fork (Windows, macOS's spawn) or with one job,
nothing starts here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from policygen.iamdb import Catalogue
from policygen.lint.context import LintContext
from policygen.lint.engine import context_for, doc_findings
from policygen.lint.rule import Rule
from policygen.parallel import FAILED, can_fork, child_result, fork_child, jobs_for, stop_child
from policygen.policydoc.corpus import Corpus
from policygen.policydoc.document import PolicyDoc

# Fewer documents than this wait for the next template: a fork of a large process costs some milliseconds.
MINIMUM_BATCH = 300
# At most this many per child, so that the last child, started just before the reading ends, is not long
# waited for; documents still pending then are checked in lint's map with the rest.
MAXIMUM_BATCH = 800


@dataclass
class _Child:
    pid: int
    pipe: int
    docs: list[PolicyDoc]
    checked_against: tuple  # (accounts, org ids) of the context the child used
    received: bytearray = field(default_factory=bytearray)


class EarlyChecks:
    """`take` is collect's `ready` callback; `results(ctx)` the findings of the documents children checked;
    `close` stops what still runs (after `results`, nothing does)."""

    def __init__(self, rules: list[Rule], load_catalogue: Callable[[], Catalogue], known_accounts, jobs: int | None):
        self.rules = rules  # as the map has them: a corpus rule applies to no document
        self.known_accounts = dict(known_accounts or {})
        # loaded at the first batch, and then lint's: a catalogue that cannot be loaded is lint's error to report
        self.load_catalogue, self.catalogue = load_catalogue, None
        self.children = jobs_for(jobs) - 1 if can_fork() else 0
        self.pending: list[PolicyDoc] = []
        self.running: list[_Child] = []
        self.finished: list[tuple[_Child, list | None]] = []

    def take(self, corpus: Corpus, docs: list[PolicyDoc]) -> None:
        if not self.children:
            return
        self._drain(block=False)
        self.pending.extend(docs)
        if len(self.pending) >= MINIMUM_BATCH and len(self.running) < self.children:
            if self.catalogue is None:
                try:
                    self.catalogue = self.load_catalogue()
                except Exception:  # noqa: BLE001 - reported where lint loads it; nothing is checked early
                    self.children = 0
                    return
            self._fork(self._context(corpus), self.pending[:MAXIMUM_BATCH])
            if self.children:
                del self.pending[:MAXIMUM_BATCH]

    def results(self, ctx: LintContext) -> dict[int, tuple[PolicyDoc, list]]:
        """id(doc) -> (doc, its findings with their anchors), for the documents checked against this context."""
        self._drain(block=True)
        key = _checked_against(ctx)
        out: dict[int, tuple[PolicyDoc, list]] = {}
        for child, per_doc in self.finished:
            if per_doc is not None and child.checked_against == key:
                out.update((id(doc), (doc, found)) for doc, found in zip(child.docs, per_doc))
        return out

    def close(self) -> None:
        """Stop any child still running (collect failed, or the caller gave up): nothing is waited for."""
        for child in self.running:
            stop_child(child.pid, child.pipe)
        self.running = []

    def _context(self, corpus: Corpus) -> LintContext:
        """lint's context as the corpus stands now, without the access world (no document rule reads it)."""
        return context_for(corpus, [], self.catalogue, self.known_accounts, jobs=1)

    def _fork(self, ctx: LintContext, docs: list[PolicyDoc]) -> None:
        rules = self.rules
        started = fork_child(lambda: [doc_findings(doc, ctx, rules) for doc in docs])
        if started is None:  # no pipe or process to be had: the map checks everything, as without this module
            self.children = 0
            return
        pid, pipe = started
        os.set_blocking(pipe, False)
        self.running.append(_Child(pid, pipe, docs, _checked_against(ctx)))

    def _drain(self, block: bool) -> None:
        """Take what the children have sent; collect those that are done (all of them, when blocking)."""
        still = []
        for child in self.running:
            os.set_blocking(child.pipe, block)
            done = False
            while True:
                try:
                    chunk = os.read(child.pipe, 1 << 20)
                except BlockingIOError:
                    break
                if not chunk:
                    done = True
                    break
                child.received += chunk
            if done:
                os.close(child.pipe)
                _, status = os.waitpid(child.pid, 0)
                found = child_result(child.received, status)  # FAILED: its documents are checked in the map
                self.finished.append((child, None if found is FAILED else found))
            else:
                still.append(child)
        self.running = still


def _checked_against(ctx: LintContext) -> tuple:
    return dict(ctx.accounts), ctx.org_ids
