"""`policygen graph`: who can do what to which resource, from which network."""

from __future__ import annotations

import click


@click.command(name="graph")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--all", "everyone", is_flag=True, help="Also list same-account access of the stand-in principals.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (it shows only on a terminal, after a second).")
def command(paths, fmt, everyone, quiet):
    """The effective access graph of an organization file, a build, or templates and policies.

    Every edge was decided by the evaluator: SCPs, identity, resource and key policies, endpoints.
    "<any principal>" stands for any other principal of that account; "*" for an anonymous caller.
    """
    from policygen.access.graph import build_graph
    from policygen.access.world import world_from
    from policygen.iamdb import load
    from policygen.ingest.collect import collect
    from policygen.report.access import edges_json, edges_table
    from policygen.progress import reporting

    world = world_from(collect(list(paths)))
    with reporting(not quiet):
        edges = build_graph(world, load(), same_account_stand_ins=everyone)
    click.echo(edges_json(edges) if fmt == "json" else edges_table(edges), nl=False)
    return 0
