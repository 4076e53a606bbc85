"""`policygen report PATH... -o report.html`: the security review of an organization, in one file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from policygen.cli.options import jobs_option

from policygen.access.inputs import git_show


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
@jobs_option("the access graph and the rules")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True,
              help="Date that suppression expiry is measured against (for tests).")
def command(paths, output, fmt, base, html_link, title, config_path, jobs, today):
    """A security review of organization files, builds, templates, policies and the JSON of
    `aws iam get-account-authorization-details` (one file per account): accounts, the access
    matrix across accounts, who can reach each resource from which network, data-perimeter
    posture, findings, suppressions and, with --base, the access a change adds or removes.

    HTML is one self-contained file (no network); Markdown fits a pull-request comment.
    """
    from policygen.iamdb import load
    from policygen.lint.run import LintOptions, settings
    from policygen.report.review import build_review

    day = today.date() if today else dt.date.today()
    config = settings(LintOptions(config_path=config_path))
    catalogue = load(config.catalogue)
    corpus, world, edges, report = _analyse(list(paths), None, config, catalogue, day, jobs)
    compared = None
    if base:
        _, _, base_edges, base_report = _analyse([], base, config, catalogue, day, jobs)
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


def _analyse(paths: list[str], spec: str | None, config, catalogue, day, jobs: int | None = None):
    """Corpus, world, graph and lint report of the inputs (paths), or of one version (spec, as `diff` takes it).

    The lint run reads the inputs and builds the world and the graph; the review uses those same
    ones (`lint.run_with_view`) rather than reading and evaluating everything a second time.
    """
    from policygen.errors import InputError
    from policygen.lint.run import LintOptions, run_with_view

    if spec is not None and not Path(spec).exists():
        return _analyse_revision(spec, config, catalogue, day, jobs)
    linted = run_with_view(LintOptions(config_path=config.path, today=day, jobs=jobs), paths or [spec])
    if linted.report.unreadable:  # as reading them outright would: exit 2 with the problems
        raise InputError(list(linted.report.unreadable))
    view = linted.full_access()
    return linted.corpus, view.world, view.graph, linted.report


def _analyse_revision(spec: str, config, catalogue, day, jobs: int | None = None):
    """A version in git (REV:PATH): the world is read as named by the revision; lint runs on a copy."""
    from policygen.access.graph import build_graph
    from policygen.access.world import world_from

    corpus = _corpus_of(spec)
    corpus.suppressions.extend(config.suppressions)  # as lint.run does, for the suppressions table
    world = world_from(corpus)
    return corpus, world, build_graph(world, catalogue, jobs=jobs), lint_report([], spec, config.path, day)


def _collect(paths: list[str]):
    from policygen.ingest.collect import collect

    return collect(paths)


def _corpus_of(spec: str):
    """An existing path, or REV:PATH naming an organization file in a git revision (as access.inputs.world_of)."""
    from policygen.ingest.org_file import read_org
    from policygen.policydoc.corpus import Corpus

    if Path(spec).exists():
        return _collect([spec])
    corpus = Corpus()
    read_org(git_show(spec), spec, corpus)
    return corpus


def lint_report(paths: list[str], spec: str | None, config_path, day):
    """The lint findings of the inputs, or of a version given as `diff` takes it, through `lint.run`.

    A git revision is linted from a temporary copy of the organization file named as the revision,
    so its findings read like the head's.
    """
    import tempfile

    from policygen.lint.run import LintOptions, run

    options = LintOptions(config_path=config_path, today=day)
    if spec is None or Path(spec).exists():
        return run(options, paths or [spec])
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / Path(spec.partition(":")[2]).name
        copy.write_text(git_show(spec), encoding="utf-8")
        return run(options, [str(copy)])
