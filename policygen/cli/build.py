from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from policygen.cli.options import jobs_option


@click.command(help="Compile an organization file into policies, templates and a manifest. Without ORG and "
                    "-o, the `build:` entry of the nearest .policygen.yaml says what to build.")
@click.argument("org", type=click.Path(dir_okay=False), required=False)
@click.option("-o", "--output", "out", type=click.Path(), help="Output directory.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and list the files that differ if OUTPUT is stale.")
@click.option("--summary/--no-summary", default=True, help="Print artifacts per account and kind.")
@click.option("--enumerate", "enumerated", is_flag=True,
              help="List every account in every policy instead of the compact forms (organization paths, account conditions).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (it shows only on a terminal, after a second).")
@jobs_option("the build: the workflow calls for grant coverage are worked out beside the compilation")
def command(org: str, out: str, check: bool, summary: bool, enumerated: bool, quiet: bool, jobs: int | None) -> int:
    from policygen.generate.build import build_file
    from policygen.progress import reporting

    if org is None or out is None:
        org, out = _from_config(org, out)
    with reporting(not quiet):
        return _build(org, out, check, summary, build_file(org, Path(out), compact=not enumerated, jobs=jobs))


def _build(org: str, out: str, check: bool, summary: bool, result) -> int:
    from policygen.generate.writer import differences, write_build

    if check:
        stale = differences(result.files, Path(out))
        if stale:
            click.echo(f"{out} is stale: {len(stale)} file(s) differ from a fresh build of {org}")
            for rel in stale:
                click.echo(f"  {rel}")
            click.echo(f"rebuild with: policygen build {org} -o {out}")
            return 1
        click.echo(f"{out} is up to date ({len(result.files)} files)")
        return 0
    write_build(result.files, Path(out), protect=(Path(org),))
    click.echo(f"built {len(result.files)} files into {out}")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if summary:
        click.echo(_summary(result.artifacts))
    return 0


def _from_config(org: str | None, out: str | None) -> tuple[str, str]:
    from policygen.errors import PolicygenError
    from policygen.lint.config import find_config, load_config

    config = load_config(find_config(Path.cwd()))
    if config.build_org is None:
        raise PolicygenError("give ORG and -o OUTPUT, or a `build: {org: ..., output: ...}` entry in .policygen.yaml")
    return org or config.build_org, out or config.build_output


def _summary(artifacts) -> str:
    counts = Counter((a.account or "-", a.kind) for a in artifacts)
    kinds = sorted({k for _, k in counts})
    accounts = sorted({a for a, _ in counts})
    width = max(len(a) for a in accounts + ["account"])
    short = {k: k.replace("-policy", "").replace("model-package-group", "mpg") for k in kinds}
    header = "account".ljust(width) + "  " + "  ".join(short[k].rjust(max(len(short[k]), 3)) for k in kinds)
    lines = [header]
    for account in accounts:
        cells = "  ".join(str(counts.get((account, k), "")).rjust(max(len(short[k]), 3)) for k in kinds)
        lines.append(account.ljust(width) + "  " + cells)
    return "\n".join(lines)
