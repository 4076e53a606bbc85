"""The review as Markdown for a pull-request comment: under GitHub's 65,536-character limit.

What a reviewer of a change needs first comes first: the summary, then (against a base) the new
and removed access and changed findings, then findings, the matrix, outside and cross-account
access. Each list is cut to what fits, with a count of what was left out and a pointer to the
HTML report; the whole text never exceeds LIMIT.
"""

from __future__ import annotations

from policygen.report.review import LEVELS, EdgeView, FindingView, Review

LIMIT = 65_536
BUDGET = LIMIT - 2_000  # room for the closing lines
MAX_ROWS = 200


def cell(text: object) -> str:
    """Text safe inside a table cell: no pipes or newlines, no HTML."""
    value = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Out:
    def __init__(self, html_link: str | None):
        self.parts: list[str] = []
        self.size = 0
        self.left_out = 0
        self.link = html_link

    def add(self, text: str) -> bool:
        if self.size + len(text) + 1 > BUDGET:
            return False
        self.parts.append(text)
        self.size += len(text) + 1
        return True

    def table(self, header: tuple[str, ...], rows: list[tuple], what: str) -> None:
        if not rows:
            self.add("_none_\n")
            return
        self.add("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
        shown = 0
        for row in rows[:MAX_ROWS]:
            if not self.add("| " + " | ".join(cell(c) for c in row) + " |"):
                break
            shown += 1
        if shown < len(rows):
            self.left_out += len(rows) - shown
            where = f" in [the HTML report]({self.link})" if self.link else " in the HTML report (`policygen report -o report.html`)"
            self.add(f"\n_{len(rows) - shown} more {what} not shown; all are{where}._")
        self.add("")

    def text(self) -> str:
        out = "\n".join(self.parts)
        if self.left_out:
            out += f"\n---\n_Truncated to fit a pull-request comment: {self.left_out} rows left out._\n"
        return out[:LIMIT - 1]


def _edge_row(review: Review, e: EdgeView) -> tuple:
    grants = "; ".join(f"{g.file}:{g.line}" + (f" ({g.origin})" if g.origin else "") for g in e.grants[:2])
    mark = "**outside** " if e.external else ""
    return (e.principal, mark + review.account_label(e.principal_account), e.level, e.resource,
            review.account_label(e.resource_account), e.network, grants)


EDGE_HEADER = ("principal", "from", "level", "resource", "in", "network", "granted by")


def _finding_row(f: FindingView) -> tuple:
    return f.severity, f.rule, f.message, f"{f.file}:{f.line}", f.origin, f.hint


FINDING_HEADER = ("severity", "rule", "finding", "file", "org file", "fix")


def render(review: Review, html_link: str | None = None) -> str:
    out = _Out(html_link)
    counts = review.counts
    org_accounts = [a for a in review.accounts if a.in_org]
    out.add(f"## {cell(review.title)}\n")
    out.add(f"- **{len(org_accounts)}** accounts: " + ", ".join(cell(a.label) for a in org_accounts))
    outside = [a for a in review.accounts if not a.in_org]
    if outside:
        out.add(f"- **{len(outside)}** outside the organization: " + ", ".join(cell(a.label) for a in outside))
    out.add(f"- **{review.principals}** principals, **{sum(1 for r in review.resources if r.kind != 'role')}** resources")
    out.add("- findings: " + ", ".join(f"**{n}** {s}{'s' if n != 1 else ''}" for s, n in counts.items()))
    out.add(f"- **{len(review.external)}** edges from outside the organization, **{len(review.cross_account)}** cross-account edges")
    changes = review.changes
    if changes is not None:
        out.add(f"- against `{cell(changes.base)}`: **{len(changes.granted)}** access granted, **{len(changes.removed)}** removed, "
                f"**{len(changes.new_external)}** new external, **{len(changes.new_findings)}** new findings, "
                f"**{len(changes.resolved_findings)}** resolved")
    if html_link:
        out.add(f"- the full report: [{cell(html_link)}]({html_link})")
    out.add("")
    if changes is not None:
        out.add(f"### New access (against `{cell(changes.base)}`)\n")
        granted = sorted(changes.granted, key=lambda e: not e.external)
        out.table(EDGE_HEADER, [_edge_row(review, e) for e in granted], "new edges")
        out.add("### Removed access\n")
        out.table(EDGE_HEADER, [_edge_row(review, e) for e in changes.removed], "removed edges")
        out.add("### New findings\n")
        out.table(FINDING_HEADER, [_finding_row(f) for f in changes.new_findings], "new findings")
        out.add("### Resolved findings\n")
        out.table(FINDING_HEADER, [_finding_row(f) for f in changes.resolved_findings], "resolved findings")
    out.add("### Findings\n")
    out.table(FINDING_HEADER, [_finding_row(f) for f in review.findings], "findings")
    out.add("### Access matrix (principal account → resource account)\n")
    cells = sorted(review.matrix().items(), key=lambda kv: (review.account_label(kv[0][0]), review.account_label(kv[0][1])))
    out.table(("principal account", "resource account", *LEVELS),
              [(review.account_label(pa), review.account_label(ra), *(c.get(level, "") for level in LEVELS))
               for (pa, ra), c in cells], "cells")
    out.add("### Outside the organization and cross-account\n")
    highlighted = sorted((e for e in review.edges if e.external or e.cross_account), key=lambda e: not e.external)
    out.table(EDGE_HEADER, [_edge_row(review, e) for e in highlighted], "edges")
    out.add("### Data perimeter\n")
    out.table(("resource", "account", "TLS deny", "encryption", "vpc_only", "endpoint deny", "organization only"),
              [(r.arn, review.account_label(r.account), _yes(r.posture.tls_deny), r.posture.encryption, _yes(r.posture.vpc_only),
                _yes(r.posture.endpoint_deny) + (f" ({', '.join(r.posture.endpoints)})" if r.posture.endpoints else ""),
                _yes(r.posture.org_only)) for r in review.resources if r.posture], "resources")
    if review.suppressions:
        out.add("### Suppressions\n")
        out.table(("rule", "reason", "expires", "where", "status"),
                  [(s.rule, s.reason, s.expires or "never", s.where, s.status) for s in review.suppressions], "suppressions")
    return out.text()


def _yes(value) -> str:
    return "n/a" if value is None else "yes" if value else "**no**"
