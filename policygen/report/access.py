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


# Filters and graph formats (`policygen graph --principal/--account/--external/--cross-account --format dot|mermaid`)

def org_accounts(corpus, world) -> set[str]:
    """The organization's accounts when its facts are known, and every account whose documents were given."""
    found = set(world.account_ids.values()) | set(corpus.accounts)
    found |= {d.account_id for d in corpus.docs if d.account_id}
    found |= {str(r.get("AccountId")) for r in corpus.roles if r.get("AccountId")}
    return found


def is_external(edge: Edge, org: set[str]) -> bool:
    """The principal is outside the organization: another account, or anyone (the anonymous caller)."""
    return (edge.principal_account or "") not in org


def filter_edges(edges: list[Edge], org: set[str], account_names: dict[str, str], principals=(), accounts=(),
                 external: bool = False, cross_account: bool = False) -> list[Edge]:
    """principals: parts of principal ARNs; accounts: names or ids, of either side (account_names: id -> name)."""
    wanted = {a for a in accounts}

    def in_account(account_id: str | None) -> bool:
        return account_id in wanted or account_names.get(account_id or "") in wanted

    return [e for e in edges
            if (not principals or any(p.lower() in e.principal.lower() for p in principals))
            and (not wanted or in_account(e.principal_account) or in_account(e.resource_account))
            and (not external or is_external(e, org))
            and (not cross_account or e.cross_account)]


def _label(edge: Edge) -> str:
    if edge.network == "outside any VPC endpoint":
        return edge.level
    return f"{edge.level} via {edge.network}" if edge.network.startswith("vpce-") else f"{edge.level} ({edge.network})"


def _nodes(edges: list[Edge], account_names: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """account label -> [(node id, ARN)], principals and resources, in first-seen order."""
    ids: dict[str, str] = {}
    by_account: dict[str, list[tuple[str, str]]] = {}
    for edge in edges:
        for arn, account in ((edge.principal, edge.principal_account), (edge.resource, edge.resource_account)):
            if arn not in ids:
                ids[arn] = f"n{len(ids)}"
                label = account_names.get(account or "", account or "anyone")
                by_account.setdefault(label, []).append((ids[arn], arn))
    return by_account


def _ids(nodes: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    return {arn: node for members in nodes.values() for node, arn in members}


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def edges_dot(edges: list[Edge], org: set[str], account_names: dict[str, str]) -> str:
    nodes = _nodes(edges, account_names)
    ids = _ids(nodes)
    principals = {e.principal for e in edges}
    lines = ["digraph access {", "  rankdir=LR;", "  node [fontsize=10];"]
    for index, (account, members) in enumerate(nodes.items()):
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={_dot_text(account)};")
        for node, arn in members:
            shape = "box" if arn in principals else "ellipse"
            lines.append(f"    {node} [label={_dot_text(arn)}, shape={shape}];")
        lines.append("  }")
    for edge in edges:
        style = ', color="#b3261e", fontcolor="#b3261e", penwidth=2' if is_external(edge, org) else (
            ', color="#8a5a00"' if edge.cross_account else "")
        lines.append(f"  {ids[edge.principal]} -> {ids[edge.resource]} [label={_dot_text(_label(edge))}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Mermaid labels: quoted, with its entity codes for the characters its parser or HTML would take."""
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;")):
        text = text.replace(char, code)
    return text.replace("\n", " ")


def edges_mermaid(edges: list[Edge], org: set[str], account_names: dict[str, str]) -> str:
    nodes = _nodes(edges, account_names)
    ids = _ids(nodes)
    lines = ["flowchart LR"]
    for index, (account, members) in enumerate(nodes.items()):
        lines.append(f'  subgraph a{index}["{_mermaid_text(account)}"]')
        lines += [f'    {node}["{_mermaid_text(arn)}"]' for node, arn in members]
        lines.append("  end")
    styles = []
    for index, edge in enumerate(edges):
        lines.append(f'  {ids[edge.principal]} -->|"{_mermaid_text(_label(edge))}"| {ids[edge.resource]}')
        if is_external(edge, org):
            styles.append(f"  linkStyle {index} stroke:#b3261e,stroke-width:2px")
        elif edge.cross_account:
            styles.append(f"  linkStyle {index} stroke:#8a5a00")
    return "\n".join(lines + styles) + "\n"
