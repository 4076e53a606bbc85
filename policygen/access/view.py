"""The access world with the graph that is derived from it, built once, on first use.

The graph is costly (every principal against every resource it could reach), so it is computed
only when a rule asks for it, and kept here, with the world it was computed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from policygen.access.graph import Edge, GraphWork, build_graph
from policygen.access.world import World, world_from
from policygen.iamdb import Catalogue
from policygen.policydoc.corpus import Corpus


@dataclass(frozen=True)
class AccessView:
    world: World
    catalogue: Catalogue
    focus: frozenset[str] | None = None  # ARNs a pre-commit run touched; None: every pair
    jobs: int | None = 1  # processes for the graph (None: one per core)

    @cached_property
    def graph(self) -> list[Edge]:
        return build_graph(self.world, self.catalogue, focus=self._focus(), jobs=self.jobs)

    @property
    def has_graph(self) -> bool:
        return "graph" in self.__dict__

    def graph_work(self) -> GraphWork:
        """The graph's pairs, for a caller that evaluates them with other work (lint) and hands back `keep_graph`."""
        return GraphWork.plan(self.world, self.catalogue, focus=self._focus())

    def keep_graph(self, edges: list[Edge]) -> None:
        """The graph the caller computed from `graph_work()`: what `graph` would have computed."""
        self.__dict__["graph"] = edges  # where cached_property keeps it; the dataclass is frozen to everything else

    def _focus(self) -> set[str] | None:
        return set(self.focus) if self.focus is not None else None


def access_view(corpus: Corpus, catalogue: Catalogue, focus: frozenset[str] | None = None, jobs: int | None = 1) -> AccessView:
    return AccessView(world_from(corpus), catalogue, focus, jobs)
