"""Small queries rules share about a statement's actions and resources."""

from __future__ import annotations

from policygen.iamdb import Action, Catalogue
from policygen.policydoc.document import Statement


def expanded(statement: Statement, catalogue: Catalogue) -> list[tuple[str, list[Action]]]:
    """Each Action value with the catalogue actions it stands for."""
    return [(value, catalogue.actions(str(value))) for value in statement.actions]


def grants(statement: Statement, catalogue: Catalogue, full_name: str) -> str | None:
    """The Action value that grants `full_name` (e.g. "iam:PassRole"), if any."""
    for value in statement.actions:
        if catalogue.grants(str(value), full_name):
            return value
    return None


def at_levels(catalogue: Catalogue, value: str, levels: tuple[str, ...], scoped_only: bool = False) -> list[str]:
    """The actions an Action value grants at these access levels, sorted.

    scoped_only leaves out actions that support no resource ARN: for those "*" is the
    only possible Resource, so granting them on "*" is not a choice to criticise.
    """
    return sorted({a.full for a in catalogue.actions(value) if a.level in levels and not (scoped_only and a.needs_star)})


def star_resource(statement: Statement) -> str | None:
    """The Resource value "*", if the statement has one."""
    return next((r for r in statement.resources if r == "*"), None)


def is_wildcard(value: str) -> bool:
    return "*" in value or "?" in value


def shorten(names: list[str], shown: int = 3) -> str:
    """"a, b, c and 4 more": enough to act on without flooding the report."""
    head = ", ".join(names[:shown])
    return head + (f" and {len(names) - shown} more" if len(names) > shown else "")
