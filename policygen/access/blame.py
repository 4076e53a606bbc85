"""Which side of a denied path to report, and which to name as the other side."""

from __future__ import annotations

from policygen.access.evaluate import Decision, Inputs, Ref
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
