"""`policygen explain`: would AWS allow this request, and which statements decide it?"""

from __future__ import annotations

import click


@click.command(name="explain")
@click.option("--principal", required=True, help="Role ARN (or account root, or a service principal).")
@click.option("--action", required=True, help="For example s3:GetObject.")
@click.option("--resource", required=True, help="Resource ARN, for example arn:aws:s3:::bucket/key.")
@click.option("--context", "pairs", multiple=True, metavar="KEY=VALUE",
              help="Request context, repeatable; a key given twice becomes a list (aws:TagKeys=a aws:TagKeys=b).")
@click.option("--vpce", default=None, help="The VPC endpoint the request comes through (aws:SourceVpce).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def command(principal, action, resource, pairs, vpce, fmt, paths):
    """Evaluate one request against an organization file, a build, or templates and policies.

    Prints the decision, each layer's verdict (SCP, identity, trust or resource, key) and the
    statements that decided it. Exit status: 0 allowed, 1 denied, 2 unreadable input.
    """
    import json

    from policygen.access.evaluate import evaluate
    from policygen.access.world import world_from
    from policygen.errors import InputError, Problem
    from policygen.ingest.collect import collect

    context: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(Problem(f"--context {pair!r}: expected KEY=VALUE"))
        context[key] = [*context[key], value] if isinstance(context.get(key), list) else (
            [context[key], value] if key in context else value)
    if vpce:
        context["aws:SourceVpce"] = vpce
    world = world_from(collect(list(paths)))
    request = world.request(principal, action, resource, context)
    inputs = world.inputs(request)
    decision = evaluate(request, inputs)
    if fmt == "json":
        click.echo(json.dumps({
            "decision": decision.result, "reason": decision.reason,
            "request": {"principal": principal, "action": action, "resource": resource,
                        "resource_account": request.resource_account, "context": request.context},
            "layers": [{"layer": layer.name, "verdict": layer.verdict,
                        "statements": [{"file": r.file, "line": r.line, "sid": r.sid, "effect": r.effect}
                                       for r in layer.statements]} for layer in decision.layers],
        }, indent=2))
    else:
        colour = {"allow": "green", "implicit-deny": "yellow", "explicit-deny": "red"}[decision.result]
        click.echo(f"{click.style(decision.result.upper(), fg=colour, bold=True)}: {decision.reason}")
        click.echo(f"  {principal} -> {action} on {resource}"
                   + (f" (account {request.resource_account})" if request.resource_account else ""))
        if principal not in world.principals and not request.is_service:
            click.echo("  note: no policies of this principal were given; its identity layer is empty")
        if world.resource_of(resource) is None:
            click.echo("  note: no policy of this resource was given")
        for layer in decision.layers:
            click.echo(f"  {layer.name:<9} {layer.verdict}")
            for ref in layer.statements:
                click.echo(f"            {ref.effect:<5} {ref}")
    return 0 if decision.allowed else 1
