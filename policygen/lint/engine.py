"""Run every rule over every document; turn hits into located findings; apply suppressions.

The rule set is built here, per run, by importing each module under the `rules`
package and taking its RULE. Nothing registers itself at import time, and two
rules with one id stop the run instead of silently replacing each other.
"""

from __future__ import annotations

from policygen.parallel import indexed_map
import datetime as dt
import fnmatch
import importlib
import pkgutil
import traceback
from dataclasses import dataclass

from types import MappingProxyType
from typing import Mapping

from policygen.access.view import access_view
from policygen.errors import PolicygenError, Problem
from policygen.iamdb import Catalogue
from policygen.lint import meta
from policygen.lint.baseline import fingerprint, pair_fingerprint
from policygen.lint.cfn_lint_findings import CfnLintRun
from policygen.lint.context import LintContext
from policygen.policydoc.document import PolicyDoc
from policygen.lint.rule import CorpusRule, Hit, PairHit, Rule
from policygen.policydoc.corpus import Corpus
from policygen.lint.suppress import apply_suppressions
from policygen.model.finding import Finding, Location
from policygen.model.kinds import IDENTITY, TRUST
from policygen.parse.located import column_at


def load_rules(package: str = "rules") -> list[Rule]:
    root = importlib.import_module(package)
    found: dict[str, Rule] = {}
    for info in sorted(pkgutil.walk_packages(root.__path__, package + "."), key=lambda i: i.name):
        if info.ispkg:
            continue
        module = importlib.import_module(info.name)
        rule = getattr(module, "RULE", None)
        if rule is None:
            continue
        if rule.id in found or rule.id in {m.id for m in meta.META_RULES}:
            raise PolicygenError(f"rule id {rule.id} is defined twice ({info.name})")
        found[rule.id] = rule
    return sorted(found.values(), key=lambda r: r.id)


def select_rules(rules: list[Rule], select: list[str] | None, ignore: list[str] | None) -> list[Rule]:
    def matches(rule: Rule, patterns: list[str]) -> bool:
        return any(fnmatch.fnmatchcase(rule.id, p.upper()) or rule.id.startswith(p.upper()) for p in patterns)

    chosen = [r for r in rules if not select or matches(r, select)]
    return [r for r in chosen if not ignore or not matches(r, ignore)]


def doc_findings(doc: PolicyDoc, ctx: LintContext, rules: list[Rule]) -> list[tuple[Finding, tuple]]:
    """The document's findings, each with its anchor: the file and line of the statement it is about."""
    findings: list[tuple[Finding, tuple]] = []
    for rule in rules:
        if not rule.applies(doc):
            continue
        try:
            hits = list(rule.check(doc, ctx))
        except Exception as exc:  # noqa: BLE001 - a broken rule must not hide the other rules' findings
            crash = Hit(_crash_message(rule, exc), doc.statement_line)
            findings.append((_finding(meta.CRASHED, doc, crash), (doc.location.file, crash.line)))
            continue
        findings.extend((_finding(rule, doc, h), (doc.location.file, h.statement.line if h.statement else h.line)) for h in hits)
    return findings


def _run_all(docs: list[PolicyDoc], corpus: Corpus, ctx: LintContext, rules: list[Rule],
             corpus_rules: list[Rule], checked: dict[int, tuple[PolicyDoc, list]] | None = None) -> list[tuple[Finding, tuple]]:
    """The document rules, then the corpus rules, each finding with its anchor: the file and line of the
    statement it is about (for superseding).

    They run as one map over independent items, in ctx.jobs processes: each document, each corpus
    rule that neither reads the access graph nor must run here (`runs_in_parent`), and, when a rule
    reads the graph, each pair of the graph. Run apart, the corpus rules would take this process
    alone, and the graph's pool would start only after the documents'. The graph is handed to the access view before
    the rules that read it run, here, after the map. `checked`: documents whose findings are known
    already (lint.early checked them while the build was read), by id."""
    access = ctx.access
    work = (access.graph_work() if access is not None and not access.has_graph and any(r.reads_graph for r in corpus_rules)
            else None)
    pairs = len(work.pairs) if work is not None else 0
    alone = [r for r in corpus_rules if not (r.reads_graph or r.runs_in_parent)]
    columns = _Columns(corpus)
    checked = checked or {}
    todo = [d for d in docs if checked.get(id(d), (None,))[0] is not d]

    def item(i: int) -> list:  # the corpus rules first: each is slow, and best claimed while others remain
        if i < len(alone):
            return _corpus_rule_findings(alone[i], corpus, ctx, columns)
        if i < len(alone) + pairs:
            try:
                return work.edges_of(i - len(alone))
            except Exception:  # noqa: BLE001 - None: the rule that reads the graph computes it, and reports the failure
                return None
        return doc_findings(todo[i - len(alone) - pairs], ctx, rules)

    results = indexed_map(item, len(alone) + pairs + len(todo), ctx.jobs, "linting")
    by_rule = dict(zip((r.id for r in alone), results[:len(alone)]))
    per_pair = results[len(alone):len(alone) + pairs]
    if work is not None and all(edges is not None for edges in per_pair):
        access.keep_graph(work.assemble(per_pair))
    mapped = {id(d): per_doc for d, per_doc in zip(todo, results[len(alone) + pairs:])}
    found = [pair for d in docs for pair in (mapped[id(d)] if id(d) in mapped else checked[id(d)][1])]
    for rule in corpus_rules:  # in the rules' order, as they would have run one after another
        found.extend(by_rule[rule.id] if rule.id in by_rule else _corpus_rule_findings(rule, corpus, ctx, columns))
    return found


def _corpus_rule_findings(rule: Rule, corpus: Corpus, ctx: LintContext, columns: "_Columns") -> list[tuple[Finding, tuple]]:
    try:
        return [(_pair_finding(rule, hit, columns), (_located(hit.at).file, _located(hit.at).line))
                for hit in rule.check_world(ctx.world, ctx)]
    except Exception as exc:  # noqa: BLE001 - as for document rules: report and go on
        crash = Finding(meta.CRASHED.id, meta.CRASHED.severity, _crash_message(rule, exc), _corpus_location(corpus))
        return [(crash, (crash.file, crash.line))]


def supersede(anchored: list[tuple[Finding, tuple]], rules: list[Rule]) -> list[Finding]:
    """One finding per problem: drop a finding when a rule that supersedes its rule fired on the same statement.

    A rule names the rules it is more specific than (`supersedes = ("LP103", ...)`): `Action: "*"` is
    LP101's finding, not also LP103's, LP105's and LP112's.
    """
    wins = {r.id: frozenset(getattr(r, "supersedes", ())) for r in rules}
    fired: dict[tuple, set[str]] = {}
    for finding, anchor in anchored:
        fired.setdefault(anchor, set()).add(finding.rule)
    return [f for f, anchor in anchored
            if not any(f.rule in wins.get(other, ()) for other in fired[anchor] if other != f.rule)]


def _corpus_location(corpus: Corpus) -> Location:
    """Where a cross-document rule's crash is reported: the organization file behind the inputs, else the first input."""
    if corpus.facts.source:
        return Location(corpus.facts.source, 1)
    return Location(corpus.files[0] if corpus.files else "-", 1)


def _crash_message(rule, exc: Exception) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return f"rule {rule.id} failed: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"


def _involves(finding: Finding, files: set[str]) -> bool:
    return any(place.file in files for place in (finding.location, *finding.related))


def focus_arns(corpus: Corpus) -> set[str]:
    """ARNs of the resources and principals whose documents are in focus: the graph asks only about them."""
    files = corpus.focus
    arns = {d.declared.arn for d in corpus.docs if d.location.file in files and d.declared.arn}
    focused = {(d.account_id, d.kind, d.name) for d in corpus.docs if d.location.file in files}
    for role in corpus.roles:
        account = role.get("AccountId")
        names = {(account, TRUST, role.get("TrustPolicy"))} | {(account, IDENTITY, n) for n in role.get("Policies", [])}
        if names & focused:
            arns.add(role["Arn"])
    return arns


def _located(place) -> Location:
    return place if isinstance(place, Location) else Location(place.file, place.line)


class _Columns:
    """`_statement_columns(corpus)`, worked out when a cross-document finding first asks (a clean run never does)."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.known: dict[tuple[str, int], int] | None = None

    def get(self, place: tuple[str, int]) -> int | None:
        if self.known is None:
            self.known = _statement_columns(self.corpus)
        return self.known.get(place)


def _pair_finding(rule, hit: PairHit, columns: _Columns) -> Finding:
    here = _located(hit.at)
    origin = hit.origin or getattr(hit.at, "origin", None)
    others = tuple(dict.fromkeys(_located(o) for o in hit.others if _located(o) != here))
    if here.file.startswith("(generated) ") and origin is not None:
        return Finding(rule.id, rule.severity, hit.message, origin, origin=origin, related=(here, *others),
                       fingerprint=pair_fingerprint(rule.id, origin.file, hit.message))
    return Finding(rule.id, rule.severity, hit.message, here, origin=origin, related=others,
                   # an evaluator Ref names a statement; a bare Location (cfn-lint's) may point anywhere on its line
                   column=hit.column or (None if isinstance(hit.at, Location) else columns.get((here.file, here.line))),
                   fingerprint=pair_fingerprint(rule.id, here.file, hit.message))


def _finding(rule, doc: PolicyDoc, hit: Hit) -> Finding:
    here = Location(doc.location.file, hit.line or doc.location.line)
    origin = doc.origin_of(hit.statement)
    mark = fingerprint(rule.id, doc, hit)
    if doc.report_at_origin and origin is not None:  # the org file's line; the artifact's columns mean nothing there
        return Finding(rule.id, rule.severity, hit.message, origin, origin=origin, related=(here,), fingerprint=mark)
    return Finding(rule.id, rule.severity, hit.message, here, origin=origin, column=_column(doc, hit, here.line), fingerprint=mark)


def _column(doc: PolicyDoc, hit: Hit, line: int) -> int | None:
    """The rule's column, else that of the first located value on the line: in the statement the hit is
    about, else among the document's top-level keys (a document-level hit points at `Statement`)."""
    if hit.column:
        return hit.column
    if hit.statement is not None:
        return column_at(hit.statement.raw, line)
    return column_at(doc.body, line, depth=1)


def _statement_columns(corpus: Corpus) -> dict[tuple[str, int], int]:
    """(file, line) -> the column of the statement (or a document's `Statement` key) there: cross-document
    findings name a statement by file and line only. Left out where two share a line (one-line JSON)."""
    found: dict[tuple[str, int], set[int]] = {}
    for doc in corpus.docs:
        places = [(doc.statement_line, column_at(doc.body, doc.statement_line, depth=1))]
        places += [(s.line, column_at(s.raw, s.line, depth=0)) for s in doc.statements]
        for line, col in places:
            if col:
                found.setdefault((doc.location.file, line), set()).add(col)
    return {place: next(iter(cols)) for place, cols in found.items() if len(cols) == 1}


def unreadable_finding(problem: Problem) -> Finding:
    """An input that cannot be read (SY000), at the parse error's line and column (line 1 when there is
    none), so that code scanning annotates the very character and JUnit lists it; the run still exits 2."""
    span = problem.span
    where = Location(span.file, span.line or 1) if span else Location("-", 1)
    column = span.column if span and span.line and span.column else None  # a column without its line means nothing
    return Finding(meta.UNREADABLE.id, meta.UNREADABLE.severity, problem.message, where, column=column)


@dataclass(frozen=True)
class Outcome:
    findings: list[Finding]
    suppressed: int  # findings a suppression hid


def lint(corpus: Corpus, ctx: LintContext, rules: list[Rule], today: dt.date, config_dir: str | None = None,
         checked: dict[int, tuple[PolicyDoc, list]] | None = None) -> Outcome:
    """Every rule over the corpus; the context is complete before the first rule runs.
    checked: findings of documents already checked (lint.early), by the document's id."""
    docs = [d for d in corpus.docs if d.location.file in corpus.focus] if corpus.focus else corpus.docs
    corpus_rules = [r for r in rules if isinstance(r, CorpusRule)] if (corpus.docs or corpus.templates) else []
    findings = supersede(_run_all(docs, corpus, ctx, rules, corpus_rules, checked), rules)
    if corpus.focus:
        findings = [f for f in findings if _involves(f, corpus.focus)]
    findings += [
        Finding(meta.MODIFIED.id, meta.MODIFIED.severity,
                "edited after the build: its sha256 differs from manifest.json; change the organization file and rebuild",
                m.location, origin=m.origin)
        for m in corpus.modified
    ] + [
        Finding(meta.COPY_DIFFERS.id, meta.COPY_DIFFERS.severity,
                "this JSON copy differs from the policy its template deploys; the template is what is checked", d.location, origin=d.origin)
        for d in corpus.differing_copies
    ]
    severity = {m.id: m.severity for m in meta.META_RULES}
    findings += [Finding(s.rule, severity[s.rule], s.reason, s.location) for s in corpus.skipped]
    findings, hidden = apply_suppressions(findings, corpus.suppressions, today, {r.id for r in rules}, config_dir)
    return Outcome(sorted(set(findings), key=Finding.sort_key), hidden)


def context_for(corpus: Corpus, rules: list[Rule], catalogue: Catalogue, accounts: Mapping[str, str] | None = None,
                cfn_lint: bool = False, regions: tuple[str, ...] = (), jobs: int | None = None) -> LintContext:
    """The read-only context the rules see: built here, before any rule runs."""
    wants_world = any(isinstance(r, CorpusRule) for r in rules) and bool(corpus.docs or corpus.templates)
    focus = frozenset(focus_arns(corpus)) if corpus.focus else None
    templates = {name: t for name, t in corpus.templates.items() if not corpus.focus or name in corpus.focus}
    return LintContext(
        catalogue=catalogue,
        accounts=MappingProxyType({**corpus.accounts, **(accounts or {})}),
        org_ids=frozenset(corpus.org_ids),
        access=access_view(corpus, catalogue, focus, jobs) if wants_world else None,
        jobs=jobs,
        cfn_lint=CfnLintRun(MappingProxyType(templates), regions or (corpus.facts.home_region or "us-east-1",), jobs) if cfn_lint else None,
    )
