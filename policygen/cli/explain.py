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
@click.option("--session-policy", "session_policy", default=None, type=click.Path(exists=True, dir_okay=False),
              help="A session policy (JSON) passed when the role was assumed.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def command(principal, action, resource, pairs, vpce, session_policy, fmt, paths):
    """Evaluate one request against an organization file, a build, or templates and policies.

    The request carries what AWS would add: the principal's tags and organization paths, the
    resource's account and organization. Prints the decision, each layer's verdict (SCP and RCP
    levels by name, VPC endpoint, session, identity, permissions boundary, trust or resource, key),
    the statements that decided it, and for an Allow that did not apply, the condition that failed.
    Exit status: 0 allowed, 1 denied, 2 unreadable input, an unknown action or a principal that is
    not an ARN.
    """
    from policygen.access.explain import explain, parse_context

    found = explain(paths, principal, action, resource, parse_context(pairs, vpce), session_policy)
    if fmt == "json":
        import json

        click.echo(json.dumps(_as_json(found), indent=2))
    else:
        _print_text(found)
    return 0 if found.decision.allowed else 1


def _as_json(found) -> dict:
    request, decision = found.request, found.decision
    return {
        "decision": decision.result, "reason": decision.reason,
        "request": {"principal": found.principal, "action": found.action, "resource": found.resource,
                    "resource_account": request.resource_account, "context": request.context},
        "layers": [{"layer": layer.name, "verdict": layer.verdict,
                    "statements": [_ref_json(r) for r in layer.statements],
                    **({"levels": [{"level": n, "verdict": v, "statements": [_ref_json(r) for r in refs]}
                                   for n, v, refs in layer.levels]} if layer.levels else {})}
                   for layer in decision.layers],
        "failed_conditions": [{"layer": n, **_ref_json(r), "condition": c} for n, r, c in found.failed],
        **({"endpoint_hint": found.endpoint_hint} if found.endpoint_hint else {}),
    }


def _ref_json(ref) -> dict:
    return {"file": ref.file, "line": ref.line, "sid": ref.sid, "effect": ref.effect}


def _print_text(found) -> None:
    from policygen.errors import safe

    request, decision, known = found.request, found.decision, found.known
    colour = {"allow": "green", "implicit-deny": "yellow", "explicit-deny": "red"}[decision.result]
    click.echo(f"{click.style(decision.result.upper(), fg=colour, bold=True)}: {safe(decision.reason)}")
    _echo(f"  {found.principal} -> {found.action} on {found.resource}"
          + (f" (account {request.resource_account})" if request.resource_account else ""))
    if known is None and not request.is_service and found.principal != "*":
        _echo("  note: no policies of this principal were given; its identity layer is empty"
              + (f" (did you mean {found.nearest}?)" if found.nearest else ""))
    if known is not None and known.tags:
        _echo("  principal tags: " + ", ".join(f"{k}={v}" for k, v in sorted(known.tags.items())))
    if known is not None and known.boundary_name and known.boundary is None:
        _echo(f"  note: the permissions boundary {known.boundary_name} was not given; it is not applied")
    if not found.resource_known:
        _echo("  note: no policy of this resource was given")
    for layer in decision.layers:
        _echo(f"  {layer.name:<9} {layer.verdict}")
        for name, verdict, refs in layer.levels or [(None, None, layer.statements)]:
            if name is not None:
                _echo(f"    {name}: {verdict}")
            for ref in refs:
                _echo(f"            {ref.effect:<5} {ref}")
    for name, ref, condition in found.failed:
        _echo(f"  not applied ({name}): Allow {ref}: condition {condition}")
    if found.endpoint_hint:
        _echo(f"  note: {found.endpoint_hint}")


def _echo(text: str) -> None:
    """A line of the text report: names and values from the input are shown escaped, never interpreted."""
    from policygen.errors import safe_lines

    click.echo(safe_lines(text))
