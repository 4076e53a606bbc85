"""Shared by the XA rules that hold declared access paths to the policies: evaluate each, report the denied."""

from __future__ import annotations

from typing import Iterable

from policygen.access.blame import blame
from policygen.access.declared import path_requests
from policygen.access.evaluate import evaluate
from policygen.lint.rule import PairHit
from policygen.model.facts import DeclaredAccess
from policygen.model.finding import Location


def origin_of(world, access: DeclaredAccess) -> Location | None:
    source = world.facts.source
    return Location(source, access.source_line) if source and access.source_line else None


def denied_paths(world, kind: str, levels: tuple[str, ...], what: str) -> Iterable[PairHit]:
    """One hit per declared access of this target kind and level whose first denied request it reports."""
    for access in world.facts.accesses or ():
        if access.target_kind != kind or access.level not in levels:
            continue
        for request in path_requests(world, access):
            inputs = world.inputs(request)
            decision = evaluate(request, inputs)
            if decision.allowed:
                continue
            at, others = blame(decision, inputs)
            yield PairHit(f"{what}: {access.principal} is declared to {access.level} {access.target}, "
                          f"but {request.action} is denied ({decision.reason})", at, tuple(others), origin_of(world, access))
            break
