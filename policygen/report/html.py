"""The review as one self-contained HTML file: inline CSS and JavaScript, no network.

The summary is rendered here, through the Jinja2 blueprint (autoescaped); every table is
rendered in the browser from the data embedded as JSON, on demand, so that a 1,000-account
organization stays small and opens fast. Strings are interned in one table; the JSON is
escaped so that no input text can end the script element.
"""

from __future__ import annotations

import json

import jinja2
from markupsafe import Markup

from policygen.report.review import LEVELS, EdgeView, Review

SAFE_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("blueprints", "report"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(review: Review) -> str:
    data = _data(review)
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).translate(SAFE_JSON)
    return environment().get_template("report.html.j2").render(
        review=review, levels=LEVELS, data=Markup(payload), changes=review.changes,
        counts=review.counts, external=review.external, cross=review.cross_account)


class _Strings:
    def __init__(self):
        self.table: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.table)
            self.table.append(text)
        return self.index[text]


def _data(review: Review) -> dict:
    s = _Strings()
    accounts = [[a.id, a.name, int(a.in_org), a.principals, a.resources] for a in review.accounts]
    account = {a.id: i for i, a in enumerate(review.accounts)}
    by_name = {**{a.name: i for i, a in enumerate(review.accounts)}, **account}

    def acct(account_id: str) -> int:
        """The account's index; one only the base knows (removed access) is added."""
        if account_id not in account:
            account[account_id] = len(accounts)
            accounts.append([account_id, account_id, 0, 0, 0])
        return account[account_id]

    def edge(e: EdgeView) -> list:
        grants = [[s(g.file), g.line, s(g.sid), s(g.origin)] for g in e.grants]
        return [s(e.principal), acct(e.principal_account), s(e.resource), acct(e.resource_account),
                s(e.resource_kind), s(e.level), s(e.network), s(", ".join(e.actions)), grants,
                int(e.external) + 2 * int(e.cross_account)]

    def finding(f) -> list:
        return [f.rule, f.severity, s(f.summary), s(f.message), s(f.file), f.line, s(f.origin), s(f.hint),
                by_name.get(f.account, -1)]

    data = {
        "edges": [edge(e) for e in review.edges],
        "resources": [[s(r.arn), s(r.kind), account.get(r.account, -1), s(r.policy), s(r.origin), r.edges,
                       _posture(r.posture, s)] for r in review.resources],
        "findings": [finding(f) for f in review.findings],
        "suppressions": [[x.rule, s(x.reason), x.expires, s(x.where), x.status] for x in review.suppressions],
        "wildcards": [[by_name.get(w.account, -1), s(w.file), s(w.sid), s(w.reason), s(w.origin)]
                      for w in review.wildcards],
        "coverage": review.coverage,
        "changes": None,
    }
    if review.changes is not None:
        c = review.changes
        data["changes"] = {"base": c.base, "granted": [edge(e) for e in c.granted], "removed": [edge(e) for e in c.removed],
                           "new": [finding(f) for f in c.new_findings], "resolved": [finding(f) for f in c.resolved_findings]}
    data["accounts"] = accounts
    data["strings"] = s.table
    return data


def _posture(posture, s) -> list | int:
    if posture is None:
        return 0
    return [posture.tls_deny, s(posture.encryption), posture.vpc_only, posture.endpoint_deny,
            [s(e) for e in posture.endpoints], posture.org_only, list(posture.findings)]
