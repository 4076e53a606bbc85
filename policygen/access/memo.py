"""What stays true between requests on one world, so that the access graph does not work it out again
for every principal and resource: the evaluator (access.evaluate) asks it when Inputs carry it."""

from __future__ import annotations

import re

from policygen.access.evaluate import Layer, Request, _action_applies, _control_layer
from policygen.policydoc.document import PolicyDoc, Statement

_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class EvaluationMemo:
    """What stays true between requests on one world: SCP and RCP layers, each evaluated once per
    (levels, action, what the levels' statements read), and which statements of a document name an action.

    A control policy's verdict depends on the request's action, on its resource only when some
    statement names resources other than "*", and on the context keys its conditions and policy
    variables read; never on the principal's own policies. The access graph asks the same account's
    levels about the same actions for every principal and resource of the account, so evaluating
    the levels once per distinct question keeps the SCP layer from dominating the graph's cost.
    A hub role or a shared bucket's policy has hundreds of statements, each about a few actions: only
    those that name the request's action are matched further. The memo belongs to the world whose
    documents it is asked about (it keeps them, so an id stays theirs).
    """

    def __init__(self) -> None:
        self._reads: dict[int, tuple[list, bool, tuple[str, ...]]] = {}
        self._layers: dict[tuple, Layer] = {}
        self._naming: dict[tuple[int, str], tuple[PolicyDoc, list[Statement]]] = {}

    def statements(self, doc: PolicyDoc, action: str) -> list[Statement]:
        """The document's statements whose Action (or NotAction) covers the action, in order."""
        key = (id(doc), action)
        known = self._naming.get(key)
        if known is None or known[0] is not doc:
            known = self._naming[key] = (doc, [s for s in doc.statements if s.ok and _action_applies(s, action)])
        return known[1]

    def control_layer(self, name: str, levels: list[list[PolicyDoc]], names: list[str], request: Request, context: dict) -> Layer:
        known = self._reads.get(id(levels))
        if known is None or known[0] is not levels:
            known = self._reads[id(levels)] = (levels, *_reads(levels))
        _, by_resource, keys = known
        key = (name, id(levels), tuple(names), request.action, request.resource if by_resource else None,
               tuple(_frozen(v) for v in _values(context, keys)))
        found = self._layers.get(key)
        if found is None:
            found = self._layers[key] = _control_layer(name, levels, names, request, context)
        return found


def _reads(levels: list[list[PolicyDoc]]) -> tuple[bool, tuple[str, ...]]:
    """Whether the levels' statements look at the resource, and which context keys they read."""
    by_resource, keys = False, set()
    for level in levels:
        for doc in level:
            for statement in doc.statements:
                if not statement.ok:
                    continue
                if "NotResource" in statement.raw or any(r != "*" for r in statement.resources):
                    by_resource = True
                    keys.update(v.partition(", ")[0].strip().lower() for r in statement.resources + statement.not_resources
                                for v in _VARIABLE.findall(r))
                block = statement.get("Condition")
                for operator, entries in (block.items() if isinstance(block, dict) else ()):
                    for k, values in (entries.items() if isinstance(entries, dict) else ()):
                        keys.add(str(k).lower())
                        for v in values if isinstance(values, list) else [values]:
                            keys.update(n.partition(", ")[0].strip().lower() for n in _VARIABLE.findall(str(v)))
    return by_resource, tuple(sorted(keys))


def _values(context: dict, keys: tuple[str, ...]) -> list:
    """The context's values of the (lower-case) keys, found as `lookup` finds them, case-insensitively."""
    lowered: dict[str, object] = {}
    for name, value in context.items():
        lowered.setdefault(name.lower(), value)
    lowered.update((name, value) for name, value in context.items() if name.islower())  # an exact match first
    return [lowered.get(k) for k in keys]


def _frozen(value):
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value
