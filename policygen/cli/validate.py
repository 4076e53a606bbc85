from __future__ import annotations

import click


@click.command(help="Check an organization file; print every problem with file:line:column.")
@click.argument("org", type=click.Path(dir_okay=False))
def command(org: str) -> int:
    from policygen.generate.validate import validate_file

    model = validate_file(org).org  # the same stage build runs
    click.echo(f"{org}: valid ({len(model.accounts)} accounts)")
    return 0
