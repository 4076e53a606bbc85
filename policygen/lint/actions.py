"""Small queries rules share about a statement's actions and resources."""

from __future__ import annotations

from policygen.iamdb import Action, Catalogue
from policygen.lint.document import Statement


def expanded(statement: Statement, catalogue: Catalogue) -> list[tuple[str, list[Action]]]:
    """Each Action value with the catalogue actions it stands for."""
    return [(value, catalogue.actions(str(value))) for value in statement.actions]


def grants(statement: Statement, catalogue: Catalogue, full_name: str) -> str | None:
    """The Action value that grants `full_name` (e.g. "iam:PassRole"), if any."""
    wanted = full_name.lower()
    for value in statement.actions:
        if any(name.lower() == wanted for name in catalogue.expand(str(value))):
            return value
    return None


def star_resource(statement: Statement) -> str | None:
    """The Resource value "*", if the statement has one."""
    return next((r for r in statement.resources if r == "*"), None)


def is_wildcard(value: str) -> bool:
    return "*" in value or "?" in value
