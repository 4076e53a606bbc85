"""One request explained: the decision, each layer's verdict, the conditions that kept an Allow
from applying, and what the caller may have meant. `policygen explain` prints what this returns."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from policygen.access.blame import failed_conditions
from policygen.access.evaluate import Decision, evaluate
from policygen.access.world import Principal, World, world_from
from policygen.errors import InputError, Problem
from policygen.iamdb import Catalogue, load
from policygen.ingest.collect import collect
from policygen.model.kinds import IDENTITY

# The endpoint of a principal's account that requests to a service come through (the build's endpoint names).
ENDPOINT_FOR_SERVICE = {"s3": "s3", "kms": "kms", "ecr": "ecr-api", "sagemaker": "sagemaker-api", "sts": "sts",
                        "events": "events"}


@dataclass(frozen=True)
class Explanation:
    principal: str
    action: str
    resource: str
    request: Any
    decision: Decision
    failed: list = field(default_factory=list)  # (layer name, statement ref, condition) of Allows that did not apply
    endpoint_hint: str | None = None
    known: Principal | None = None  # the principal's policies, when they were given
    nearest: str | None = None  # a known role close to an unknown principal's name
    resource_known: bool = True


def parse_context(pairs: Sequence[str], vpce: str | None) -> dict:
    """KEY=VALUE pairs; a key given twice becomes a list (aws:TagKeys=a aws:TagKeys=b)."""
    context: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(Problem(f"--context {pair!r}: expected KEY=VALUE"))
        if key not in context:
            context[key] = value
        elif isinstance(context[key], list):
            context[key] = [*context[key], value]
        else:
            context[key] = [context[key], value]
    if vpce:
        context["aws:SourceVpce"] = vpce
    return context


def explain(paths: Sequence[str], principal: str, action: str, resource: str, context: dict,
            session_policy: str | None = None) -> Explanation:
    world = world_from(collect(list(paths)))
    check_principal(principal, world)
    check_action(action, load())
    request = world.request(principal, action, resource, context)
    inputs = world.inputs(request)
    if session_policy:
        inputs.session = _read_session(session_policy)
    decision = evaluate(request, inputs)
    failed = [] if decision.allowed else _failed(request, inputs, decision)
    hint = None if decision.allowed or "aws:SourceVpce" in context else _endpoint_hint(world, request, action)
    known = world.principals.get(principal)
    unknown = known is None and not request.is_service and principal != "*"
    return Explanation(principal, action, resource, request, decision, failed, hint, known,
                       nearest_principal(principal, world) if unknown else None,
                       world.resource_of(resource) is not None)


def _failed(request, inputs, decision: Decision) -> list:
    """The conditions that kept an Allow from applying, in the layers that did not allow."""
    blocking = {layer.name for layer in decision.layers if layer.verdict in ("no-match", "delegated")}
    return failed_conditions(request, inputs, blocking or None)


def check_principal(principal: str, world: World) -> None:
    """A role ARN, an account (root), a service principal or "*"; anything else is refused."""
    if principal == "*" or principal.startswith("arn:") or principal.endswith(".amazonaws.com") or re.fullmatch(r"\d{12}", principal):
        return
    near = nearest_principal(principal, world)
    raise InputError(Problem(f"--principal {principal!r} is not an ARN (a role is arn:aws:iam::<account>:role/<name>)"
                             + (f"; did you mean {near}?" if near else "")))


def nearest_principal(principal: str, world: World) -> str | None:
    """The known role whose ARN (or name) is closest to what was typed."""
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


def check_action(action: str, catalogue: Catalogue) -> None:
    if "*" in action or "?" in action or catalogue.action(action) is not None:
        return
    service, _, name = action.partition(":")
    if catalogue.has_service(service):
        names = list(catalogue.expand(f"{service}:*"))
        near = difflib.get_close_matches(action, names, n=1, cutoff=0.6) or difflib.get_close_matches(
            action.lower(), [n.lower() for n in names], n=1, cutoff=0.6)
        if near:
            near = [next(n for n in names if n.lower() == near[0].lower())]
    else:
        near = [f"{s}:{name}" for s in difflib.get_close_matches(service, catalogue.service_names(), n=1)]
    raise InputError(Problem(f"unknown action {action}" + (f"; did you mean {near[0]}" if near else "")
                             + " (the IAM catalogue does not list it)"))


def _endpoint_hint(world: World, request, action: str) -> str | None:
    """Asked from outside any endpoint and denied: how the same request fares through the
    principal's account's endpoint for the service, when the build gives it one."""
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
    corpus = collect([path], kind=IDENTITY)
    return corpus.docs[0] if corpus.docs else None
