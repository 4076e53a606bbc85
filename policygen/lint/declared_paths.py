"""Shared by the XA rules that hold declared access paths to the policies: evaluate each, report the denied."""

from __future__ import annotations

from typing import Iterable, Iterator

from policygen.access.blame import blame
from policygen.access.declared import path_requests
from policygen.access.evaluate import Decision, Inputs, Request, evaluate
from policygen.lint.rule import PairHit
from policygen.model.facts import DeclaredAccess
from policygen.model.finding import Location


def origin_of(world, access: DeclaredAccess) -> Location | None:
    source = world.facts.source
    return Location(source, access.source_line) if source and access.source_line else None


def denied_requests(world, accesses: Iterable[DeclaredAccess]) -> Iterator[tuple[DeclaredAccess, Request, Inputs, Decision]]:
    """Each declared access's requests that the policies deny, with what decided them."""
    for access in accesses:
        for request in path_requests(world, access):
            inputs = world.inputs(request)
            decision = evaluate(request, inputs)
            if not decision.allowed:
                yield access, request, inputs, decision


def denied_paths(world, kind: str, levels: tuple[str, ...], what: str) -> Iterable[PairHit]:
    """One hit per declared access of this target kind and level, at its first denied request."""
    wanted = (a for a in world.facts.accesses or () if a.target_kind == kind and a.level in levels)
    reported: set[DeclaredAccess] = set()
    for access, request, inputs, decision in denied_requests(world, wanted):
        if access in reported:
            continue
        reported.add(access)
        at, others = blame(decision, inputs)
        yield PairHit(f"{what}: {access.principal} is declared to {access.level} {access.target}, "
                      f"but {request.action} is denied ({decision.reason})", at, tuple(others), origin_of(world, access))
