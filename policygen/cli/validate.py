from __future__ import annotations

import click


@click.command(help="Check an organization file; print every problem with file:line:column.")
@click.argument("org", type=click.Path(dir_okay=False))
def command(org: str) -> int:
    from policygen.generate.plan import build_plan
    from policygen.loader import load_org

    model = load_org(org)
    build_plan(model)  # cross-section checks (endpoints of vpc_only consumers) live in the plan
    click.echo(f"{org}: valid ({len(model.accounts)} accounts)")
    return 0
