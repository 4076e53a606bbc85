"""Which side of a denied path to report, and which to name as the other side."""

from __future__ import annotations

from policygen.access.conditions import UnsupportedOperator, condition_holds
from policygen.access.evaluate import Decision, Inputs, Ref, Request, _ref, effective_context, in_scope, resource_policy
from policygen.model.finding import Location


def doc_place(doc) -> Ref:
    """A document as a place: its Statement line, with its org-file origin when generated."""
    origin = Location(doc.origin_file, doc.origin_line) if doc.origin_file and doc.origin_line else None
    return Ref(doc.location.file, doc.statement_line, None, "", origin)


def blame(decision: Decision, inputs: Inputs) -> tuple[Ref, list[Ref]]:
    """(where to report, the other places involved) for a denied request."""
    refs = [r for layer in decision.layers for r in layer.statements]
    allows = [r for r in refs if r.effect == "Allow" and not r.file.startswith("(AWS managed)")]
    denies = [r for r in refs if r.effect == "Deny"]
    if denies:
        return denies[0], allows
    layers = {layer.name: layer for layer in decision.layers}
    resource_layer = next((layers[n] for n in ("key", "trust", "resource") if n in layers), None)
    if inputs.resource is not None and (resource_layer is None or resource_layer.verdict == "no-match"):
        return doc_place(inputs.resource), allows
    if inputs.identity:
        return doc_place(inputs.identity[0]), allows
    if inputs.resource is not None:
        return doc_place(inputs.resource), allows
    return (allows[0] if allows else Ref("-", 1, None, "")), allows[1:]


def _layer_docs(request: Request, inputs: Inputs) -> list[tuple[str, list]]:
    policy = resource_policy(request, inputs)
    resource_name = {"key-policy": "key", "trust-policy": "trust"}.get(policy.kind, "resource") if policy else ""
    return [("scp", [d for level in inputs.scp_levels for d in level]),
            ("rcp", [d for level in inputs.rcp_levels for d in level]),
            ("endpoint", [inputs.endpoint] if inputs.endpoint else []),
            ("session", [inputs.session] if inputs.session else []),
            ("identity", list(inputs.identity)),
            ("boundary", [inputs.boundary] if inputs.boundary else []),
            (resource_name, [policy] if policy else [])]


def failed_conditions(request: Request, inputs: Inputs, layers: set[str] | None = None) -> list[tuple[str, Ref, str]]:
    """(layer, statement, the condition that failed) for each Allow statement of the given layers
    that would have applied to the request but for one of its conditions."""
    context = effective_context(request)
    out = []
    for name, docs in _layer_docs(request, inputs):
        if layers is not None and name not in layers:
            continue
        for doc in docs:
            for statement in doc.statements:
                if not statement.allows or not in_scope(doc, statement, request, context):
                    continue
                failed = _first_failed(statement, context)
                if failed:
                    out.append((name, _ref(doc, statement), failed))
    return out


def _first_failed(statement, context: dict) -> str | None:
    block = statement.get("Condition")
    if not isinstance(block, dict):
        return None
    for operator, keys in block.items():
        if not isinstance(keys, dict):
            return f"{operator} (not a key block)"
        for key, values in keys.items():
            wanted = values if isinstance(values, list) else [values]
            wanted = [str(v).lower() if isinstance(v, bool) else str(v) for v in wanted]
            try:
                holds = condition_holds(str(operator), str(key), wanted, context)
            except UnsupportedOperator:
                return f"{operator} is not an operator the evaluator knows"
            if not holds:
                actual = next((v for k, v in context.items() if k.lower() == str(key).lower()), None)
                shown = "absent from the request" if actual is None else f"the request has {actual}"
                expected = [_filled(w, context) for w in wanted]
                return f"{operator} {key} {expected if len(expected) > 1 else expected[0]} ({shown})"
    return None


def _filled(value: str, context: dict) -> str:
    """A condition value with its policy variables shown as the request fills them."""
    from policygen.policydoc.match import MissingVariable, substitute

    if "${" not in value:
        return value
    try:
        return f"{value} = {substitute(value, context).replace(chr(1), '')}"
    except MissingVariable:
        return f"{value} (not in the request)"
