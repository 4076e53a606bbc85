"""`policygen report PATH... -o report.html`: the security review of an organization, in one file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click


@click.command(name="report")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(["html", "markdown"]), default=None,
              help="[default: from the output's suffix (.md: markdown), else html]")
@click.option("--base", default=None,
              help="Compare with this version: an org file, a build, templates, or REV:PATH (main:org.yaml).")
@click.option("--html-link", default=None, help="Markdown: where the full HTML report will be (a CI artifact URL).")
@click.option("--title", default="Security review", show_default=True)
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Settings file. [default: the nearest .policygen.yaml upward from the working directory]")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True,
              help="Date that suppression expiry is measured against (for tests).")
def command(paths, output, fmt, base, html_link, title, config_path, today):
    """A security review of organization files, builds, templates, policies and the JSON of
    `aws iam get-account-authorization-details` (one file per account): accounts, the access
    matrix across accounts, who can reach each resource from which network, data-perimeter
    posture, findings, suppressions and, with --base, the access a change adds or removes.

    HTML is one self-contained file (no network); Markdown fits a pull-request comment.
    """
    from policygen.iamdb import load
    from policygen.lint.config import find_config, load_config
    from policygen.report.review import build_review

    config = load_config(Path(config_path) if config_path else find_config(Path.cwd()))
    day = today.date() if today else dt.date.today()
    catalogue = load(config.catalogue)
    corpus, world, edges, report = _analyse(list(paths), None, config, catalogue, day)
    compared = None
    if base:
        _, _, base_edges, base_report = _analyse([], base, config, catalogue, day)
        compared = (base, base_edges, base_report)
    review = build_review(corpus, world, edges, report, catalogue, title=title, base=compared, today=day)
    fmt = fmt or ("markdown" if output and Path(output).suffix.lower() in (".md", ".markdown") else "html")
    if fmt == "html":
        from policygen.report.html import render
        text = render(review)
    else:
        from policygen.report.markdown import render
        text = render(review, html_link=html_link or (str(Path(output).with_suffix(".html").name) if output else None))
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    return 0


def _analyse(paths: list[str], spec: str | None, config, catalogue, day):
    """Corpus, world, graph and lint report of the inputs (paths), or of one version (spec, as `diff` takes it)."""
    from policygen.access.graph import build_graph
    from policygen.access.world import world_from

    corpus = _corpus_of(spec) if spec else _collect(paths)
    corpus.suppressions.extend(config.suppressions)
    world = world_from(corpus)
    edges = build_graph(world, catalogue)
    return corpus, world, edges, lint_report(corpus, world, edges, config, catalogue, day)


def _collect(paths: list[str]):
    from policygen.ingest.collect import collect

    return collect(paths)


def _corpus_of(spec: str):
    """An existing path, or REV:PATH naming an organization file in a git revision (as access.inputs.world_of)."""
    import subprocess

    from policygen.errors import InputError, Problem
    from policygen.ingest.org_file import read_org
    from policygen.policydoc.corpus import Corpus

    if Path(spec).exists():
        return _collect([spec])
    rev, sep, path = spec.partition(":")
    if not sep or not rev or not path:
        raise InputError(Problem(f"{spec}: no such file or directory (for a git revision write REV:PATH)"))
    result = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, text=True)
    if result.returncode != 0:
        raise InputError(Problem(f"{spec}: git cannot show it ({result.stderr.strip() or 'unknown error'})"))
    corpus = Corpus()
    read_org(result.stdout, spec, corpus)
    return corpus


def lint_report(corpus, world, edges, config, catalogue, day):
    """The lint findings, as `policygen lint` computes them (the one place to switch to policygen.lint.run).

    The context is handed the world and graph already built for the review, so the cross-account
    rules do not build them a second time.
    """
    from policygen import __version__
    from policygen.lint import meta
    from policygen.lint.context import LintContext
    from policygen.lint.engine import lint, load_rules, select_rules
    from policygen.report.summary import Report

    rules = select_rules(load_rules(), [], [])
    ctx = LintContext(org_ids=corpus.org_ids, accounts=corpus.accounts, world=world,
                      regions=(corpus.facts.get("home_region") or "us-east-1",))
    ctx.catalogue, ctx.graph = catalogue, edges
    findings = lint(corpus, ctx, rules, day, config.folder)
    return Report(findings=findings, rules=[*rules, *meta.META_RULES], files=corpus.files,
                  catalogue=f"{catalogue.source}, recorded {catalogue.recorded}", tool_version=__version__,
                  fail_on=config.fail_on or "error")
