"""`policygen graph`: who can do what to which resource, from which network."""

from __future__ import annotations

import click

from policygen.cli.options import jobs_option


@click.command(name="graph")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json", "dot", "mermaid"]), default="table", show_default=True)
@click.option("--all", "everyone", is_flag=True, help="Also list same-account access of the stand-in principals.")
@click.option("--principal", "principals", multiple=True, help="Only edges whose principal ARN contains this (repeatable).")
@click.option("--account", "accounts", multiple=True, help="Only edges with this account (name or id) on either side (repeatable).")
@click.option("--external", is_flag=True, help="Only edges from outside the organization (other accounts, anyone).")
@click.option("--cross-account", is_flag=True, help="Only edges between two accounts.")
@jobs_option("the access graph")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (it shows only on a terminal, after a second).")
def command(paths, fmt, everyone, principals, accounts, external, cross_account, jobs, quiet):
    """The effective access graph of an organization file, a build, or templates and policies.

    Every edge was decided by the evaluator: SCPs, identity, resource and key policies, endpoints.
    "<any principal>" stands for any other principal of that account; "*" for an anonymous caller.
    DOT (Graphviz) and Mermaid draw one box per account; edges from outside the organization are red.
    """
    from policygen.access.graph import build_graph
    from policygen.access.world import world_from
    from policygen.iamdb import load
    from policygen.ingest.collect import collect
    from policygen.progress import reporting
    from policygen.report.access import edges_dot, edges_json, edges_mermaid, edges_table, filter_edges, org_accounts

    corpus = collect(list(paths))
    world = world_from(corpus)
    org = org_accounts(corpus, world)
    names = {account_id: name for name, account_id in world.account_ids.items()}
    with reporting(not quiet):
        graph = build_graph(world, load(), same_account_stand_ins=everyone, jobs=jobs)
    edges = filter_edges(graph, org, names, principals, accounts, external, cross_account)
    if fmt == "dot":
        text = edges_dot(edges, org, names)
    elif fmt == "mermaid":
        text = edges_mermaid(edges, org, names)
    else:
        text = edges_json(edges) if fmt == "json" else edges_table(edges)
    from policygen.errors import safe_lines

    click.echo(text if fmt == "json" else safe_lines(text), nl=False)  # JSON escapes them itself
    return 0
