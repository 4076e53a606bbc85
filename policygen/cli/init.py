from __future__ import annotations

from importlib import resources
from pathlib import Path

import click


@click.command(help="Write a starter organization file (the reference platform) to edit.")
@click.argument("path", default="org.yaml", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def command(path: str, force: bool) -> int:
    target = Path(path)
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; pass --force to overwrite it")
    text = resources.files("policygen.data").joinpath("reference-org.yaml").read_text(encoding="utf-8")
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}: the reference platform. Edit it, then run: policygen build {target} -o out/")
    return 0
