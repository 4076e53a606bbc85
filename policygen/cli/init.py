"""`policygen init`: write a starter organization file and, beside it, the JSON Schema its first line names."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import click

SCHEMA_FILE = "org.schema.json"  # the name the starters' `# yaml-language-server: $schema=` line points at


@click.command(help="Write a starter organization file to edit (a complete example platform, or two accounts "
                    f"with --minimal) and {SCHEMA_FILE} beside it, for editors.")
@click.argument("path", default="org.yaml", type=click.Path(dir_okay=False))
@click.option("--minimal", is_flag=True, help="Two accounts (management and one ML account) instead of the full example.")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def command(path: str, minimal: bool, force: bool) -> int:
    from policygen.errors import PolicygenError
    from policygen.loader.schema import json_schema

    target = Path(path)
    schema_path = target.parent / SCHEMA_FILE
    schema = json_schema()
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; pass --force to overwrite it")
    if schema_path.exists() and not force and not _ours(schema_path, schema["$id"]):
        raise click.ClickException(f"{schema_path} exists and is not policygen's schema; pass --force to overwrite it")
    name = "starter-minimal.yaml" if minimal else "starter-org.yaml"
    text = resources.files("policygen.data").joinpath(name).read_text(encoding="utf-8")
    try:
        schema_path.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PolicygenError(f"cannot write {exc.filename or target}: {exc.strerror or exc}") from None
    what = "two accounts" if minimal else "a complete example platform"
    click.echo(f"wrote {target} ({what}) and {schema_path} (for editors). "
               f"Edit {target}, then run: policygen build {target} -o out/")
    return 0


def _ours(path: Path, schema_id: str) -> bool:
    """An existing schema file that policygen wrote (any version) may be refreshed without --force."""
    try:
        return path.is_file() and json.loads(path.read_text(encoding="utf-8")).get("$id") == schema_id
    except (OSError, ValueError, AttributeError):
        return False
