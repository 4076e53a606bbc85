"""`policygen explain`: would AWS allow this request, and which statements decide it?"""

from __future__ import annotations

import click

# The endpoint of a principal's account that requests to a service come through (the build's endpoint names).
ENDPOINT_FOR_SERVICE = {"s3": "s3", "kms": "kms", "ecr": "ecr-api", "sagemaker": "sagemaker-api", "sts": "sts",
                        "events": "events"}


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
    import json

    from policygen.access.evaluate import evaluate
    from policygen.access.world import world_from
    from policygen.errors import InputError, Problem
    from policygen.iamdb import load
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
    _check_principal(principal, world)
    _check_action(action, load())
    request = world.request(principal, action, resource, context)
    inputs = world.inputs(request)
    if session_policy:
        inputs.session = _read_session(session_policy)
    decision = evaluate(request, inputs)
    failed = [] if decision.allowed else _failed(request, inputs, decision)
    hint = None if decision.allowed or vpce else _endpoint_hint(world, request, action)
    if fmt == "json":
        click.echo(json.dumps({
            "decision": decision.result, "reason": decision.reason,
            "request": {"principal": principal, "action": action, "resource": resource,
                        "resource_account": request.resource_account, "context": request.context},
            "layers": [{"layer": layer.name, "verdict": layer.verdict,
                        "statements": [_ref_json(r) for r in layer.statements],
                        **({"levels": [{"level": n, "verdict": v, "statements": [_ref_json(r) for r in refs]}
                                       for n, v, refs in layer.levels]} if layer.levels else {})}
                       for layer in decision.layers],
            "failed_conditions": [{"layer": n, **_ref_json(r), "condition": c} for n, r, c in failed],
            **({"endpoint_hint": hint} if hint else {}),
        }, indent=2))
    else:
        colour = {"allow": "green", "implicit-deny": "yellow", "explicit-deny": "red"}[decision.result]
        from policygen.errors import safe

        click.echo(f"{click.style(decision.result.upper(), fg=colour, bold=True)}: {safe(decision.reason)}")
        _echo(f"  {principal} -> {action} on {resource}"
                   + (f" (account {request.resource_account})" if request.resource_account else ""))
        known = world.principals.get(principal)
        if known is None and not request.is_service and principal != "*":
            near = _nearest(principal, world)
            _echo("  note: no policies of this principal were given; its identity layer is empty"
                       + (f" (did you mean {near}?)" if near else ""))
        if known is not None and known.tags:
            _echo("  principal tags: " + ", ".join(f"{k}={v}" for k, v in sorted(known.tags.items())))
        if known is not None and known.boundary_name and known.boundary is None:
            _echo(f"  note: the permissions boundary {known.boundary_name} was not given; it is not applied")
        if world.resource_of(resource) is None:
            _echo("  note: no policy of this resource was given")
        for layer in decision.layers:
            _echo(f"  {layer.name:<9} {layer.verdict}")
            if layer.levels:
                for name, verdict, refs in layer.levels:
                    _echo(f"    {name}: {verdict}")
                    for ref in refs:
                        _echo(f"            {ref.effect:<5} {ref}")
            else:
                for ref in layer.statements:
                    _echo(f"            {ref.effect:<5} {ref}")
        for name, ref, condition in failed:
            _echo(f"  not applied ({name}): Allow {ref}: condition {condition}")
        if hint:
            _echo(f"  note: {hint}")
    return 0 if decision.allowed else 1


def _ref_json(ref) -> dict:
    return {"file": ref.file, "line": ref.line, "sid": ref.sid, "effect": ref.effect}


def _failed(request, inputs, decision):
    """The conditions that kept an Allow from applying, in the layers that did not allow."""
    from policygen.access.blame import failed_conditions

    blocking = {layer.name for layer in decision.layers if layer.verdict in ("no-match", "delegated")}
    return failed_conditions(request, inputs, blocking or None)


def _check_principal(principal: str, world) -> None:
    """A role ARN, an account (root), a service principal or "*"; anything else is refused."""
    import re

    from policygen.errors import InputError, Problem

    if principal == "*" or principal.startswith("arn:") or principal.endswith(".amazonaws.com") or re.fullmatch(r"\d{12}", principal):
        return
    near = _nearest(principal, world)
    raise InputError(Problem(f"--principal {principal!r} is not an ARN (a role is arn:aws:iam::<account>:role/<name>)"
                             + (f"; did you mean {near}?" if near else "")))


def _nearest(principal: str, world) -> str | None:
    """The known role whose ARN (or name) is closest to what was typed."""
    import difflib

    arns = sorted(world.principals)
    if not arns:
        return None
    by_name = {arn.rsplit("/", 1)[-1]: arn for arn in arns}
    typed = principal.rsplit("/", 1)[-1]
    found = difflib.get_close_matches(typed, list(by_name), n=1, cutoff=0.5)
    if found:
        return by_name[found[0]]
    found = difflib.get_close_matches(principal, arns, n=1, cutoff=0.5)
    return found[0] if found else None


def _check_action(action: str, catalogue) -> None:
    import difflib

    from policygen.errors import InputError, Problem

    if "*" in action or "?" in action or catalogue.action(action) is not None:
        return
    service, _, _ = action.partition(":")
    if catalogue.has_service(service):
        names = list(catalogue.expand(f"{service}:*"))
        near = difflib.get_close_matches(action, names, n=1, cutoff=0.6) or difflib.get_close_matches(
            action.lower(), [n.lower() for n in names], n=1, cutoff=0.6)
        if near:
            near = [next(n for n in names if n.lower() == near[0].lower())]
    else:
        near = [f"{s}:{action.partition(':')[2]}" for s in difflib.get_close_matches(service, catalogue.service_names(), n=1)]
    raise InputError(Problem(f"unknown action {action}" + (f"; did you mean {near[0]}" if near else "")
                             + " (the IAM catalogue does not list it)"))


def _endpoint_hint(world, request, action: str) -> str | None:
    """Asked from outside any endpoint and denied: how the same request fares through the
    principal's account's endpoint for the service, when the build gives it one."""
    from policygen.access.evaluate import evaluate

    name = ENDPOINT_FOR_SERVICE.get(action.partition(":")[0].lower())
    endpoint = world.endpoints(request.principal_account).get(name) if name else None
    if not endpoint:
        return None
    through = world.request(request.principal, request.action, request.resource,
                            {**request.context, "aws:SourceVpce": endpoint})
    decision = evaluate(through, world.inputs(through))
    if not decision.allowed:
        return None
    return (f"through the account's {name} endpoint ({endpoint}) the request is {decision.result.upper()}"
            f" ({decision.reason}); pass --vpce {endpoint}")


def _read_session(path: str):
    from policygen.ingest.collect import collect
    from policygen.model.kinds import IDENTITY

    corpus = collect([path], kind=IDENTITY)
    return corpus.docs[0] if corpus.docs else None


def _echo(text: str) -> None:
    """A line of the text report: names and values from the input are shown escaped, never interpreted."""
    from policygen.errors import safe_lines

    click.echo(safe_lines(text))
