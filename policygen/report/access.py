"""Access graph edges and access diffs as a table or JSON."""

from __future__ import annotations

import json

from policygen.access.graph import Edge

COLUMNS = ("principal", "level", "resource", "network", "actions")


def _row(edge: Edge) -> tuple[str, ...]:
    principal = edge.principal.replace("*any-other-principal*", "<any principal>")
    return principal, edge.level, edge.resource, edge.network, ", ".join(edge.actions[:3])


def edges_table(edges: list[Edge], title: str | None = None) -> str:
    rows = [COLUMNS, *(_row(e) for e in edges)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = [title] if title else []
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"({len(edges)} edge{'s' if len(edges) != 1 else ''})")
    return "\n".join(lines) + "\n"


def edge_dict(edge: Edge) -> dict:
    return {"principal": edge.principal, "principal_account": edge.principal_account, "level": edge.level,
            "resource": edge.resource, "resource_kind": edge.resource_kind, "resource_account": edge.resource_account,
            "network": edge.network, "actions": list(edge.actions), "cross_account": edge.cross_account,
            "grants": [{"file": g.file, "line": g.line, "sid": g.sid} for g in edge.grants]}


def edges_json(edges: list[Edge]) -> str:
    return json.dumps({"edges": [edge_dict(e) for e in edges]}, indent=2) + "\n"
