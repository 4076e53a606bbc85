"""`lint.run(options, inputs) -> Report`: the one way to lint, for the CLI, the pre-commit hook and the tests.

Settings come from the options, then the `.policygen.yaml` found upward from the working
directory (or named), then defaults. Inputs that cannot be read raise InputError (exit 2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from policygen import __version__
from policygen.access.view import AccessView
from policygen.access.world import world_from
from policygen.iamdb import Catalogue, load as load_catalogue
from policygen.ingest.collect import collect
from policygen.lint import meta
from policygen.lint.baseline import apply_baseline, read_baseline, write_baseline
from policygen.lint.config import Config, find_config, load_config
from policygen.lint.early import EarlyChecks
from policygen.lint.engine import context_for, lint, load_rules, select_rules, unreadable_finding
from policygen.lint.result import Report
from policygen.lint.rule import Rule
from policygen.errors import Problem
from policygen.model.finding import Finding
from policygen.policydoc.corpus import Corpus


@dataclass(frozen=True)
class LintOptions:
    kind: str | None = None  # policy kind of plain JSON files whose path does not say
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    catalogue: str | None = None
    config_path: str | None = None  # default: the nearest .policygen.yaml upward from the working directory
    find_config: bool = True  # False: no settings file at all (tests that must not see the caller's)
    skip_unrecognised: bool = False  # a pre-commit hook is given every YAML and JSON file
    cfn_lint: bool = False
    regions: tuple[str, ...] = ()
    fail_on: str | None = None
    today: dt.date | None = None  # what suppression expiry is measured against
    # Accounts the caller knows besides those the inputs name (id -> name): rule fixtures stand in an org.
    known_accounts: Mapping[str, str] = field(default_factory=dict)
    rules: Sequence[Rule] | None = None  # another rule set than the packaged one (tests)
    jobs: int | None = None  # processes for the access graph, the document rules and cfn-lint; None: every core
    baseline: str | None = None  # report only findings whose fingerprint this baseline file does not hold
    write_baseline: str | None = None  # record this run's findings here (before any baseline is applied)


def settings(options: LintOptions) -> Config:
    if options.config_path:
        return load_config(Path(options.config_path))
    return load_config(find_config(Path.cwd())) if options.find_config else Config()


@dataclass(frozen=True)
class Linted:
    """A lint run with what it read and built, for callers that show more than findings (the review
    report): the corpus, the catalogue, and the access view whose world and graph the rules used."""

    report: Report
    corpus: Corpus
    catalogue: Catalogue
    access: AccessView | None  # None when no rule needed the access world
    jobs: int | None = None  # the run's --jobs, for a graph the run did not compute

    def full_access(self) -> AccessView:
        """The view of every pair: the run's own unless it was focused on changed files (or never built)."""
        if self.access is not None and self.access.focus is None:
            return self.access
        return AccessView(self.access.world if self.access is not None else world_from(self.corpus), self.catalogue, jobs=self.jobs)


def run(options: LintOptions, inputs: Sequence[str]) -> Report:
    return run_with_view(options, inputs).report


def run_with_view(options: LintOptions, inputs: Sequence[str]) -> Linted:
    """`run`, keeping the corpus and the access view, so that a caller does not read and evaluate the inputs again."""
    config = settings(options)
    rules = select_rules(list(options.rules) if options.rules is not None else load_rules(), list(options.select), list(options.ignore))
    unreadable: list[Problem] = []
    catalogue_source = options.catalogue or config.catalogue
    early = EarlyChecks(rules, lambda: load_catalogue(catalogue_source), options.known_accounts, options.jobs)
    try:
        corpus = collect(list(inputs), options.kind, options.skip_unrecognised, unreadable, early.take)
        corpus.suppressions.extend(config.suppressions)
        catalogue = early.catalogue or load_catalogue(catalogue_source)
        ctx = context_for(corpus, rules, catalogue, options.known_accounts, options.cfn_lint, tuple(options.regions), options.jobs)
        checked = early.results(ctx)
    finally:
        early.close()
    outcome = lint(corpus, ctx, rules, options.today or dt.date.today(), config.folder, checked)
    findings = sorted(outcome.findings + [unreadable_finding(p) for p in unreadable], key=Finding.sort_key)
    unchanged: list = []
    if options.write_baseline:
        write_baseline(options.write_baseline, findings)
    if options.baseline:
        findings, unchanged = apply_baseline(findings, read_baseline(options.baseline))
    report = Report(
        findings=findings, baselined=len(unchanged), unchanged=unchanged,
        unreadable=tuple(unreadable), rules=[*rules, *meta.META_RULES], files=corpus.files,
        catalogue=f"{catalogue.source}, recorded {catalogue.recorded}", tool_version=__version__,
        fail_on=options.fail_on or config.fail_on or "error", documents=len(corpus.docs), suppressed=outcome.suppressed,
    )
    return Linted(report, corpus, catalogue, ctx.access, options.jobs)
