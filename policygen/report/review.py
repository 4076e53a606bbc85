"""The security review: one value built from the corpus, its access world and graph, and the lint
findings, that the HTML and Markdown formatters only lay out.

Content follows issue 14: a summary, the account-by-account access matrix, per resource who can
read, write and administer it from which network (with the granting statements and the org-file
line), the data-perimeter posture of each bucket and key, findings by severity with their fix
hint, suppressions, wildcard reasons, grant coverage when the manifest has it, and, against a
base, new and removed access and changed findings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from policygen.access.diff import edge_key
from policygen.access.graph import ANONYMOUS, OTHERS, Edge
from policygen.access.world import World
from policygen.generate.build import build_text
from policygen.ingest.build_dir import MANIFEST
from policygen.ingest.org_file import GENERATED
from policygen.lint.context import LintContext
from policygen.model.finding import SEVERITIES, Finding
from policygen.model.manifest import Manifest
from policygen.policydoc.corpus import Corpus
from policygen.report.access import org_accounts
from policygen.report.posture import Posture, posture_of
from policygen.lint.result import Report

LEVELS = ("read", "write", "admin", "permissions-management", "assume", "put-events")
ANYONE = "anyone"  # the anonymous caller's "account"


@dataclass(frozen=True)
class Grant:
    file: str
    line: int
    sid: str
    origin: str  # "org.yaml:95", or ""


@dataclass(frozen=True)
class EdgeView:
    principal: str
    principal_account: str  # an account id, or ANYONE
    resource: str
    resource_kind: str
    resource_account: str
    level: str
    network: str
    actions: tuple[str, ...]
    grants: tuple[Grant, ...]
    external: bool  # the principal is outside the organization (or anyone)
    cross_account: bool

    @property
    def key(self) -> tuple:
        return self.principal, self.resource, self.level, self.network


@dataclass
class Account:
    id: str
    name: str
    in_org: bool
    principals: int = 0
    resources: int = 0

    @property
    def label(self) -> str:
        return self.name if self.name == self.id else f"{self.name} ({self.id})"


@dataclass
class ResourceView:
    arn: str
    kind: str
    account: str
    policy: str  # file:line of the policy that guards it, or ""
    origin: str  # the org-file line it came from, or ""
    edges: list[int] = field(default_factory=list)  # indexes into Review.edges
    posture: Posture | None = None


@dataclass(frozen=True)
class FindingView:
    rule: str
    severity: str
    summary: str
    message: str
    file: str
    line: int
    origin: str
    hint: str
    account: str  # the account the finding's file belongs to, when known


@dataclass(frozen=True)
class SuppressionView:
    rule: str
    reason: str
    expires: str
    where: str
    status: str  # active, expired, unused


@dataclass(frozen=True)
class WildcardReason:
    account: str
    file: str
    sid: str
    reason: str
    origin: str


@dataclass
class Changes:
    base: str
    granted: list[EdgeView]
    removed: list[EdgeView]
    new_findings: list[FindingView]
    resolved_findings: list[FindingView]

    @property
    def new_external(self) -> list[EdgeView]:
        return [e for e in self.granted if e.external]


@dataclass
class Review:
    title: str
    inputs: list[str]
    tool: str
    accounts: list[Account]
    principals: int
    edges: list[EdgeView]
    resources: list[ResourceView]
    findings: list[FindingView]
    suppressions: list[SuppressionView]
    wildcards: list[WildcardReason]
    coverage: list[dict] | None
    changes: Changes | None = None

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(f.severity for f in self.findings)
        return {s: found.get(s, 0) for s in SEVERITIES}

    @property
    def external(self) -> list[EdgeView]:
        return [e for e in self.edges if e.external]

    @property
    def cross_account(self) -> list[EdgeView]:
        return [e for e in self.edges if e.cross_account]

    def account_label(self, account_id: str) -> str:
        names = self.__dict__.setdefault("_labels", {a.id: a.label for a in self.accounts})
        return names.get(account_id, account_id)

    def matrix(self) -> dict[tuple[str, str], Counter]:
        """(principal account, resource account) -> edges by level."""
        cells: dict[tuple[str, str], Counter] = {}
        for edge in self.edges:
            cells.setdefault((edge.principal_account, edge.resource_account), Counter())[edge.level] += 1
        return cells


def build_review(corpus: Corpus, world: World, edges: list[Edge], lint: Report, catalogue, *,
                 title: str = "Security review", base: tuple[str, list[Edge], Report] | None = None,
                 today: dt.date | None = None) -> Review:
    """base: (its name, its graph, its lint report)."""
    org = org_accounts(corpus, world)
    views = [_edge_view(e, org) for e in edges]
    accounts = _accounts(world, views, org)
    # A template's own documents come before the StackSet instances it deploys elsewhere: the first one names its account.
    file_account: dict[str, str] = {}
    for d in corpus.docs:
        if d.account_id:
            file_account.setdefault(d.location.file, d.account_id)
    findings = [_finding_view(f, lint, file_account) for f in lint.findings]
    resources = _resources(world, views, lint, catalogue, corpus)
    manifests = _manifests(corpus)
    review = Review(
        title=title, inputs=list(lint.files), tool=f"policygen {lint.tool_version}; IAM catalogue {lint.catalogue}",
        accounts=accounts, principals=len(world.principals), edges=views, resources=resources,
        findings=sorted(findings, key=lambda f: (-_rank(f.severity), f.rule, f.file, f.line)),
        suppressions=_suppressions(corpus, lint.findings, today or dt.date.today()),
        wildcards=_wildcards(corpus, manifests), coverage=_coverage(manifests),
    )
    if base is not None:
        name, base_edges, base_lint = base
        before = {edge_key(e): _edge_view(e, org) for e in base_edges}
        after = {edge_key(e): v for e, v in zip(edges, views)}
        old = [_finding_view(f, base_lint, {}) for f in base_lint.findings]
        review.changes = Changes(
            base=name, granted=[after[k] for k in sorted(set(after) - set(before))],
            removed=[before[k] for k in sorted(set(before) - set(after))],
            new_findings=_minus(review.findings, old), resolved_findings=_minus(old, review.findings))
    return review


def _rank(severity: str) -> int:
    return len(SEVERITIES) - SEVERITIES.index(severity)


def _edge_view(edge: Edge, org: set[str]) -> EdgeView:
    principal_account = edge.principal_account or ANYONE
    grants = tuple(Grant(g.file, g.line, g.sid or "", str(g.origin) if g.origin else "") for g in edge.grants)
    return EdgeView(edge.principal.replace(OTHERS, "role/<any principal>") if edge.principal != ANONYMOUS else "* (anyone)",
                    principal_account, edge.resource, edge.resource_kind, edge.resource_account or "unknown", edge.level,
                    edge.network, tuple(edge.actions), grants, external=principal_account not in org,
                    cross_account=principal_account != (edge.resource_account or "unknown"))


def _accounts(world: World, edges: list[EdgeView], org: set[str]) -> list[Account]:
    accounts: dict[str, Account] = {}

    def get(account_id: str) -> Account:
        if account_id not in accounts:
            accounts[account_id] = Account(account_id, world.account_name(account_id) or account_id, account_id in org)
        return accounts[account_id]

    for account_id in world.account_ids.values():
        get(account_id)
    for principal in world.principals.values():
        get(principal.account_id or "unknown").principals += 1
    for resource in world.resources.values():
        if resource.kind != "role":
            get(resource.account_id or "unknown").resources += 1
    for edge in edges:
        get(edge.principal_account)
        get(edge.resource_account)
    return sorted(accounts.values(), key=lambda a: (not a.in_org, a.name, a.id))


def _resources(world: World, edges: list[EdgeView], lint: Report, catalogue, corpus: Corpus) -> list[ResourceView]:
    views: dict[str, ResourceView] = {}
    for arn, resource in sorted(world.resources.items()):
        policy = world.policy_of(resource)
        origin = f"{policy.origin_file}:{policy.origin_line}" if policy is not None and policy.origin_line else ""
        views[arn] = ResourceView(arn, resource.kind, resource.account_id or "unknown",
                                  str(policy.location) if policy is not None else "", origin)
    for index, edge in enumerate(edges):
        view = views.get(edge.resource)
        if view is not None:
            view.edges.append(index)
    external = {e.resource for e in edges if e.external}
    dp_rules = [r for r in lint.rules if r.id.startswith("DP") and hasattr(r, "check")]
    ctx = LintContext(catalogue=catalogue, accounts=MappingProxyType(dict(corpus.accounts)), org_ids=frozenset(corpus.org_ids))
    for arn, view in views.items():
        resource = world.resources[arn]
        if resource.kind in ("bucket", "key"):
            view.posture = posture_of(resource.kind, resource.policy, resource.vpc_only, resource.key_arn,
                                      arn in external, dp_rules, ctx)
    return list(views.values())


def hint_of(rule) -> str:
    """A finding's fix hint: the first sentence of its rule's Best practice, else its description."""
    text = (rule.doc_section("Best practice") if rule is not None else "") or getattr(rule, "description", "") or ""
    match = re.match(r"(.+?\.)(\s|$)", text)
    sentence = match.group(1) if match else text
    return sentence[:1].upper() + sentence[1:]


def _finding_view(finding: Finding, lint: Report, file_account: dict) -> FindingView:
    rule = lint.rule(finding.rule)
    origin = finding.origin if finding.origin and finding.origin != finding.location else None
    return FindingView(finding.rule, finding.severity, getattr(rule, "summary", "") if rule else "", finding.message,
                       finding.file, finding.line, str(origin) if origin else "", hint_of(rule),
                       file_account.get(finding.file) or next((file_account[r.file] for r in finding.related
                                                               if r.file in file_account), ""))


def _minus(these: list[FindingView], those: list[FindingView]) -> list[FindingView]:
    """Findings of `these` that `those` lacks; files and lines move between versions, so compare what they say."""
    left = Counter((f.rule, f.severity, f.message) for f in those)
    out = []
    for f in these:
        key = (f.rule, f.severity, f.message)
        if left[key]:
            left[key] -= 1
        else:
            out.append(f)
    return out


def _suppressions(corpus: Corpus, findings: list[Finding], today: dt.date) -> list[SuppressionView]:
    unused = {f.location for f in findings if f.rule == "PG003"}
    out = []
    for s in corpus.suppressions:
        status = "expired" if s.expired(today) else "unused" if s.where in unused else "active"
        out.append(SuppressionView(s.rule, s.reason, s.expires.isoformat() if s.expires else "", str(s.where), status))
    return out


def _wildcards(corpus: Corpus, manifests: list[tuple[str, Manifest, dict]]) -> list[WildcardReason]:
    """Each generated statement's reason (recorded for every wildcard), from the builds' manifests or,
    for an organization file, from building it again; with the org-file line, named as findings name it."""
    out = []
    for prefix, manifest, _ in manifests:
        source = next((d.origin_file for d in corpus.docs if d.origin_file and d.location.file.startswith(prefix)), manifest.source)
        for entry in manifest.artifacts:
            file = prefix + entry.path
            for statement in entry.statements:
                if statement.reason:
                    origin = f"{source}:{statement.source_line}" if statement.source_line else ""
                    out.append(WildcardReason(entry.account or "", file, statement.sid, statement.reason, origin))
    return out


def _manifests(corpus: Corpus) -> list[tuple[str, Manifest, dict]]:
    """(prefix of its files as the corpus names them, manifest, its raw JSON) of each build among the inputs,
    and of each organization file built in memory."""
    out = []
    for shown in corpus.files:
        path = Path(shown) / MANIFEST
        if path.is_file():
            raw = json.loads(path.read_text(encoding="utf-8"))
            out.append(("" if shown == "." else shown + "/", Manifest.from_dict(raw), raw))
    for shown in sorted({d.origin_file for d in corpus.docs if d.report_at_origin and d.origin_file}):
        raw = json.loads(build_text(Path(shown).read_text(encoding="utf-8"), shown).files[MANIFEST])
        out.append((GENERATED, Manifest.from_dict(raw), raw))
    return out


def _coverage(manifests: list[tuple[str, Manifest, dict]]) -> list[dict] | None:
    """Grant coverage per role (granted, used by a workflow, reasoned), when a manifest records it."""
    rows: list[dict] = []
    for _, _, raw in manifests:
        table = raw.get("coverage") or (raw.get("organization") or {}).get("coverage")
        if isinstance(table, dict):
            table = [{"role": role, **(value if isinstance(value, dict) else {"value": value})} for role, value in table.items()]
        rows += [_coverage_row(row) for row in table or [] if isinstance(row, dict)] if isinstance(table, list) else []
    return rows or None


def _coverage_row(row: dict) -> dict:
    """The manifest's lists of actions as counts a reviewer scans; unused actions by name (there should be none)."""
    def count(value):
        return len(value) if isinstance(value, (list, dict)) else value
    out = {k: count(v) for k, v in row.items() if k != "unused"}
    if "unused" in row:
        out["unused"] = ", ".join(row["unused"]) if isinstance(row["unused"], list) else row["unused"]
    return out
