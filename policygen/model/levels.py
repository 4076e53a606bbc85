"""Declared access levels and how they nest: write includes read, admin includes write.

The generator grants every level up to the declared one; the access checks ask whether an
observed level is covered by a declared one. Both read this one ordering.
"""

from __future__ import annotations

ACCESS_LEVELS = ("read", "write", "admin")  # cumulative, weakest first
# Levels that stand alone: an assume or a put-events grant neither includes nor is included by data access.
STANDALONE_LEVELS = ("assume", "put-events")


def rank(level: str) -> int:
    """Order for picking the strongest of several declared levels (standalone levels rank lowest)."""
    return ACCESS_LEVELS.index(level) if level in ACCESS_LEVELS else 0


def levels_upto(level: str) -> tuple[str, ...]:
    """The levels a declared level grants: 'write' -> ('read', 'write')."""
    if level in STANDALONE_LEVELS:
        return (level,)
    if level not in ACCESS_LEVELS:
        raise ValueError(f"unknown access level {level!r}")
    return ACCESS_LEVELS[: ACCESS_LEVELS.index(level) + 1]


def declared_levels_covering(observed: str) -> frozenset[str]:
    """The declared levels under which an observed access level is expected.

    Observed levels come from the access graph, which also knows 'permissions-management':
    only an admin declaration covers it.
    """
    if observed == "permissions-management":
        return frozenset({"admin"})
    if observed in STANDALONE_LEVELS:
        return frozenset({observed})
    return frozenset(level for level in ACCESS_LEVELS if observed in levels_upto(level))
