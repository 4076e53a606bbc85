"""Access granted and removed between two versions of an organization."""

from __future__ import annotations

from dataclasses import dataclass

from policygen.access.graph import Edge, build_graph
from policygen.access.world import World
from policygen.iamdb import Catalogue


def edge_key(edge: Edge) -> tuple:
    """What makes an edge the same access in two versions: who, on what, how much, from where (not which statements)."""
    return edge.principal, edge.resource, edge.level, edge.network


@dataclass
class AccessDiff:
    granted: list[Edge]
    removed: list[Edge]


def diff_worlds(base: World, head: World, catalogue: Catalogue) -> AccessDiff:
    before = {edge_key(e): e for e in build_graph(base, catalogue)}
    after = {edge_key(e): e for e in build_graph(head, catalogue)}
    return AccessDiff(granted=[after[k] for k in sorted(set(after) - set(before))],
                      removed=[before[k] for k in sorted(set(before) - set(after))])
