"""`policygen diff BASE HEAD`: access granted and removed, a pull-request gate for new access."""

from __future__ import annotations

import click


@click.command(name="diff")
@click.argument("base")
@click.argument("head")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--fail-on-new-access", is_flag=True, help="Exit 1 when HEAD grants access BASE did not.")
def command(base, head, fmt, fail_on_new_access):
    """Compare the effective access of two versions.

    BASE and HEAD are organization files, build directories, template folders, or REV:PATH for an
    organization file in a git revision (main:platform/org.yaml). Offline and free: the same
    question as IAM Access Analyzer's check-no-new-access, asked of the whole organization.
    """
    import json

    from policygen.access.diff import diff_worlds
    from policygen.access.inputs import world_of
    from policygen.iamdb import load
    from policygen.report.access import edge_dict, edges_table

    result = diff_worlds(world_of(base), world_of(head), load())
    if fmt == "json":
        click.echo(json.dumps({"base": base, "head": head,
                               "granted": [edge_dict(e) for e in result.granted],
                               "removed": [edge_dict(e) for e in result.removed]}, indent=2))
    else:
        from policygen.errors import safe_lines

        click.echo(safe_lines(edges_table(result.granted, f"access granted by {head} (not in {base}):")))
        click.echo(safe_lines(edges_table(result.removed, f"access removed by {head}:")), nl=False)
    return 1 if fail_on_new_access and result.granted else 0
