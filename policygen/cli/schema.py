from __future__ import annotations

import json

import click


@click.command(help="Print the JSON Schema of the organization file format.")
def command() -> int:
    from policygen.loader.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, sort_keys=True))
    return 0
