"""Collect the `suppress:` entries of an organization file, each scoped to the entry that holds it."""

from __future__ import annotations

import datetime as dt

from policygen.parse.marked import Marked
from policygen.model.finding import Location
from policygen.model.suppression import Suppression


def collect(marked: Marked) -> tuple[Suppression, ...]:
    """Runs after validation, so every `suppress` list has the documented shape."""
    last_line_under: dict[tuple, int] = {}
    for path, span in marked.values.items():
        for end in range(len(path) + 1):
            prefix = path[:end]
            if last_line_under.get(prefix, 0) < span.line:
                last_line_under[prefix] = span.line
    found = []
    for path in marked.values:
        if not path or path[-1] != "suppress":
            continue
        owner = path[:-1]
        entries = _get(marked.data, path) or []
        for index, entry in enumerate(entries):
            expires = entry.get("expires")
            if isinstance(expires, str):
                expires = dt.date.fromisoformat(expires)
            where = marked.span(path + (index,))
            found.append(Suppression(
                rule=entry["rule"], reason=entry["reason"], expires=expires,
                where=Location(marked.file, where.line), source="org", scope_file=marked.file,
                first_line=marked.key_span(owner).line if owner else 1,
                last_line=last_line_under.get(owner, where.line),
            ))
    return tuple(sorted(found, key=lambda s: (s.where.line, s.rule)))


def _get(data, path):
    for part in path:
        data = data[part]
    return data
