"""The base every rule file builds on, and what a rule hands back (a Hit)."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from policygen.parse.located import LDict, col_of, line_of
from policygen.policydoc.document import IAM_POLICIES, PolicyDoc, Statement

if TYPE_CHECKING:
    from policygen.lint.context import LintContext


@dataclass(frozen=True)
class Hit:
    """One problem a rule saw: the message and the line in the document's file.

    A rule may give the column too; where it does not, the engine takes the column of the first
    located value of the statement (or of the document) on that line (`located.column_at`)."""

    message: str
    line: int
    statement: Statement | None = None
    column: int | None = None  # 1-based, when the parsed value knows it


class Rule:
    """Subclasses set the metadata and override `check` or `check_statement`.

    The docstring is the rule's documentation: a first paragraph, then
    **Anti-pattern** and **Best practice** paragraphs. `docs/rules.md` is made from it.
    """

    id: str = ""
    severity: str = "warning"
    summary: str = ""
    url: str = ""
    kinds: frozenset[str] = IAM_POLICIES
    # Rules this one is more specific than: on the same statement, their findings are dropped.
    supersedes: tuple[str, ...] = ()
    fix: str = ""  # a one-line fix; default: the first sentence of the Best practice

    @property
    def family(self) -> str:
        return self.id[:2]

    def applies(self, doc: PolicyDoc) -> bool:
        return doc.kind in self.kinds

    def check(self, doc: PolicyDoc, ctx: LintContext) -> Iterable[Hit]:
        for statement in doc.statements:
            if statement.ok:
                yield from self.check_statement(statement, doc, ctx)

    def check_statement(self, statement: Statement, doc: PolicyDoc, ctx: LintContext) -> Iterable[Hit]:
        return ()

    # documentation ---------------------------------------------------------------
    def doc_section(self, title: str) -> str:
        text = inspect.cleandoc(type(self).__doc__ or "")
        match = re.search(rf"\*\*{title}\*\*:?\s*(.*?)(?=\n\s*\*\*|\Z)", text, re.S)
        return " ".join(match.group(1).split()) if match else ""

    @property
    def fix_hint(self) -> str:
        """One line that says what to do: the rule's `fix`, else the first sentence of its Best practice."""
        if self.fix:
            return self.fix
        best = self.doc_section("Best practice")
        sentence = re.split(r"(?<=[.;])\s", best, maxsplit=1)[0] if best else ""
        return sentence.rstrip(";")

    @property
    def description(self) -> str:
        text = inspect.cleandoc(type(self).__doc__ or "")
        return " ".join(text.split("\n\n")[0].split())


def hit(statement: Statement, message: str, key: str | None = None, node=None) -> Hit:
    """A hit on a statement, at the place of `node`, else of `key`, else of the statement."""
    if line_of(node):
        return Hit(message, line_of(node), statement, col_of(node) or None)
    raw = statement.raw
    if key and statement.line_of(key):
        return Hit(message, statement.line_of(key), statement, (raw.col_of(key) if isinstance(raw, LDict) else 0) or None)
    return Hit(message, statement.line, statement, col_of(raw) if line_of(raw) == statement.line and col_of(raw) else None)


@dataclass(frozen=True)
class PairHit:
    """A cross-document finding: where it is reported, the other side(s), and the org-file line behind it."""

    message: str
    at: object  # an evaluator Ref (file, line, origin) or a model Location
    others: tuple = ()
    origin: object = None  # Location
    column: int | None = None  # of `at`, when the rule knows it; else the engine looks for the statement there


class CorpusRule(Rule):
    """A rule over the whole set of documents (the access world), not one document at a time."""

    kinds = frozenset()
    # Whether check_world reads ctx.graph: lint then computes the graph with the other rules' work, before this
    # rule runs. A rule that reads it without saying so still gets it (computed on first use), only later.
    reads_graph = False
    # Whether check_world must run in lint's own process, after the map: it shares one costly result with
    # other rules (cfn-lint's run, which has its own workers), which each worker would otherwise compute again.
    runs_in_parent = False

    def applies(self, doc: PolicyDoc) -> bool:
        return False

    def check_world(self, world, ctx: LintContext) -> Iterable[PairHit]:
        return ()
