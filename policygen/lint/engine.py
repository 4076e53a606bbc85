"""Run every rule over every document; turn hits into located findings; apply suppressions.

The rule set is built here, per run, by importing each module under the `rules`
package and taking its RULE. Nothing registers itself at import time, and two
rules with one id stop the run instead of silently replacing each other.
"""

from __future__ import annotations

from policygen.progress import track
import datetime as dt
import fnmatch
import importlib
import pkgutil
import traceback

from policygen.errors import PolicygenError
from policygen.lint import meta
from policygen.lint.context import LintContext
from policygen.policydoc.document import PolicyDoc
from policygen.lint.rule import CorpusRule, Hit, PairHit, Rule
from policygen.policydoc.corpus import Corpus
from policygen.lint.suppress import apply_suppressions
from policygen.model.finding import Finding, Location
from policygen.model.kinds import IDENTITY, TRUST


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


def run_rules(docs: list[PolicyDoc], ctx: LintContext, rules: list[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    for doc in track(docs, "linting policies"):
        for rule in rules:
            if not rule.applies(doc):
                continue
            try:
                hits = list(rule.check(doc, ctx))
            except PolicygenError:
                raise
            except Exception as exc:  # a broken rule must not hide the other rules' findings
                findings.append(_finding(meta.CRASHED, doc, Hit(_crash_message(rule, exc), doc.location.line)))
                continue
            findings.extend(_finding(rule, doc, h) for h in hits)
    return findings


def run_corpus_rules(corpus: Corpus, ctx: LintContext, rules: list[Rule]) -> list[Finding]:
    corpus_rules = [r for r in rules if isinstance(r, CorpusRule)]
    if not corpus_rules or not (corpus.docs or corpus.templates):
        return []
    ctx.templates = {name: t for name, t in corpus.templates.items() if not corpus.focus or name in corpus.focus}
    if ctx.world is None:
        from policygen.access.world import world_from

        ctx.world = world_from(corpus)
    findings: list[Finding] = []
    for rule in corpus_rules:
        try:
            findings.extend(_pair_finding(rule, hit) for hit in rule.check_world(ctx.world, ctx))
        except PolicygenError:
            raise
        except Exception as exc:  # as for document rules: report and go on
            findings.append(Finding(meta.CRASHED.id, meta.CRASHED.severity, _crash_message(rule, exc),
                                    Location(corpus.files[0] if corpus.files else "-", 1)))
    return findings


def _crash_message(rule, exc: Exception) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    return f"rule {rule.id} failed: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"


def _involves(finding: Finding, files: set[str]) -> bool:
    return any(place.file in files for place in (finding.location, *finding.related))


def _focus_arns(corpus: Corpus) -> set[str]:
    """ARNs of the resources and principals whose documents are in focus: the graph asks only about them."""
    files = corpus.focus
    arns = {d.declared["arn"] for d in corpus.docs if d.location.file in files and d.declared.get("arn")}
    focused = {(d.account_id, d.kind, d.name) for d in corpus.docs if d.location.file in files}
    for role in corpus.roles:
        account = role.get("AccountId")
        names = {(account, TRUST, role.get("TrustPolicy"))} | {(account, IDENTITY, n) for n in role.get("Policies", [])}
        if names & focused:
            arns.add(role["Arn"])
    return arns


def _located(place) -> Location:
    return place if isinstance(place, Location) else Location(place.file, place.line)


def _pair_finding(rule, hit: PairHit) -> Finding:
    here = _located(hit.at)
    origin = hit.origin or getattr(hit.at, "origin", None)
    others = tuple(dict.fromkeys(_located(o) for o in hit.others if _located(o) != here))
    if here.file.startswith("(generated) ") and origin is not None:
        return Finding(rule.id, rule.severity, hit.message, origin, origin=origin, related=(here, *others))
    return Finding(rule.id, rule.severity, hit.message, here, origin=origin, related=others)


def _finding(rule, doc: PolicyDoc, hit: Hit) -> Finding:
    here = Location(doc.location.file, hit.line or doc.location.line)
    origin = doc.origin_of(hit.statement)
    if doc.report_at_origin and origin is not None:
        return Finding(rule.id, rule.severity, hit.message, origin, origin=origin, related=(here,))
    return Finding(rule.id, rule.severity, hit.message, here, origin=origin)


def lint(corpus: Corpus, ctx: LintContext, rules: list[Rule], today: dt.date, config_dir: str | None = None) -> list[Finding]:
    docs = [d for d in corpus.docs if d.location.file in corpus.focus] if corpus.focus else corpus.docs
    if corpus.focus:
        ctx.focus = _focus_arns(corpus)
    findings = run_rules(docs, ctx, rules) + run_corpus_rules(corpus, ctx, rules)
    if corpus.focus:
        findings = [f for f in findings if _involves(f, corpus.focus)]
    findings += [
        Finding(meta.MODIFIED.id, meta.MODIFIED.severity,
                "edited after the build: its sha256 differs from manifest.json; change the organization file and rebuild",
                m.location, origin=m.origin)
        for m in corpus.modified
    ]
    findings = apply_suppressions(findings, corpus.suppressions, today, {r.id for r in rules}, config_dir)
    return sorted(set(findings), key=Finding.sort_key)
