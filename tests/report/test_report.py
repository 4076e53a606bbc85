"""policygen report: content of the HTML and Markdown, against a base, escaping, truncation, inputs."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from policygen.ingest.collect import collect
from policygen.report.markdown import LIMIT
from tests.conftest import ROOT
from tests.report.conftest import HUB_BUCKET_POLICY, OUT, OUTSIDE, REPOSITORY_POLICY, policygen

FIXTURES = Path(__file__).parent / "fixtures"
AUTH = FIXTURES / "authorization-details-210987654321.json"
EVIL = FIXTURES / "evil-authorization-details.json"
EVIL_BASE = FIXTURES / "evil-base-authorization-details.json"


def org_account_names() -> list[str]:
    return sorted(json.loads((OUT / "manifest.json").read_text())["organization"]["accounts"])


def embedded(html: str) -> dict:
    """The review data the page embeds, as its script reads it."""
    text = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(text)


def errors_of(scenario: dict) -> list[dict]:
    return [f for f in scenario["lint"] if f["severity"] == "error"]


# acceptance: one change grants an outside account read access --------------------------------

def test_template_edit_markdown_names_every_account_the_new_external_access_and_every_error(template_edit):
    md = template_edit["md"].read_text()
    assert len(md) < LIMIT
    for name in org_account_names() + [OUTSIDE]:
        assert name in md
    new_access = md.split("### New access", 1)[1].split("### Removed access", 1)[0]
    rows = [line for line in new_access.splitlines() if OUTSIDE in line]
    assert rows and all("**outside**" in row and "| read |" in row and "inference-images" in row for row in rows)
    assert re.search(r"\*\*1\*\* new external", md)
    errors = errors_of(template_edit)
    # The undeclared partner read, and the partner outside the organization (the dropped TLS deny is a warning).
    assert {f["rule"] for f in errors} >= {"DP308", "XA207"}
    findings = md.split("### Findings", 1)[1]
    for f in errors:
        assert f"| error | {f['rule']} |" in findings and f"{f['file']}:{f['line']}" in findings


def test_template_edit_html_names_every_account_the_new_external_access_and_every_error(template_edit):
    html = template_edit["html"].read_text()
    data = embedded(html)
    strings = data["strings"]
    names = {a[1] for a in data["accounts"]}
    assert set(org_account_names()) | {OUTSIDE} <= names
    summary = html.split('id="summary-changes"', 1)[1].split("</div>", 1)[0]
    assert OUTSIDE in summary and "New external access" in summary and "inference-images" in summary
    granted = [e for e in data["changes"]["granted"] if e[9] & 1]
    assert [data["accounts"][e[1]][0] for e in granted] == [OUTSIDE]
    assert strings[granted[0][5]] == "read"
    reported = {(f[0], strings[f[3]], strings[f[4]], f[5]) for f in data["findings"]}
    errors = errors_of(template_edit)
    assert errors
    for f in errors:
        assert (f["rule"], f["message"], f["file"], f["line"]) in reported


def test_template_edit_reports_the_changed_findings_and_no_removed_access(template_edit):
    data = embedded(template_edit["html"].read_text())
    new = {f[0] for f in data["changes"]["new"]}
    assert {"DP302", "DP308", "XA207", "PG004"} <= new
    assert data["changes"]["resolved"] == []
    # dropping the TLS deny removes no access (requests are made with TLS)
    assert data["changes"]["removed"] == []


def test_json_copy_edit_is_reported_but_grants_nothing(json_edit):
    """A build deploys its templates: an edited JSON copy changes no access; the report says the copy differs."""
    md = json_edit["md"].read_text()
    data = embedded(json_edit["html"].read_text())
    strings = data["strings"]
    assert data["changes"]["granted"] == [] and data["changes"]["removed"] == []
    assert "**0** access granted" in md
    new = {(f[0], strings[f[4]]) for f in data["changes"]["new"]}
    for copy in (REPOSITORY_POLICY, HUB_BUCKET_POLICY):
        assert ("PG007", str(json_edit["head"] / copy)) in new
    for f in json_edit["lint"]:
        assert f"| {f['severity']} | {f['rule']} |" in md and f"{f['file']}:{f['line']}" in md
    for name in org_account_names():
        assert name in md and name in {a[1] for a in data["accounts"]}


# content --------------------------------------------------------------------------------------

def test_reference_report_content(reference_report):
    html = reference_report.read_text()
    data = embedded(html)
    strings = data["strings"]
    graph = json.loads(policygen("graph", "--format", "json", OUT).stdout)["edges"]
    assert len(data["edges"]) == len(graph)
    cross = sum(1 for e in graph if e["cross_account"])
    assert f"<b>{cross}</b> cross-account edges" in html
    # data perimeter: every bucket and key, from its own policy
    postures = {strings[r[0]]: r[6] for r in data["resources"] if r[6]}
    kinds = {strings[r[0]]: strings[r[1]] for r in data["resources"]}
    assert {k for k, v in kinds.items() if v in ("bucket", "key")} == set(postures)
    for arn, p in postures.items():
        tls, encryption, vpc_only, endpoint_deny, endpoints, org_only, dp = p
        assert vpc_only and endpoint_deny and endpoints and org_only and dp == []  # the reference org declares all vpc_only
        if kinds[arn] == "bucket":
            assert tls is True and strings[encryption].startswith("aws:kms with arn:aws:kms:")
    # wildcard reasons from the manifest, with the org-file line
    manifest = json.loads((OUT / "manifest.json").read_text())
    reasons = [s for a in manifest["artifacts"] for s in a.get("statements", []) if s.get("reason")]
    assert len(data["wildcards"]) == len(reasons) > 0
    source = os.path.normpath(OUT / manifest["source"])  # the org file, named as findings name it
    assert all(strings[w[4]].startswith(source + ":") for w in data["wildcards"])
    # per resource, the statements that grant (file and line) and the org-file line
    resource = next(r for r in data["resources"] if strings[r[0]] == "arn:aws:s3:::sm-mlops-dev-eu-west-1-models")
    assert strings[resource[4]] == f"{source}:100"
    grants = {(strings[g[0]], g[1]) for i in resource[5] for g in data["edges"][i][8]}
    assert (str(OUT / "templates/dev.yaml"), 156) in grants  # the bucket policy's CrossAccountReadBucket, as deployed
    for file, line in grants:  # each points at the statement that grants
        assert Path(file).read_text().splitlines()[line - 1].strip().startswith("- Sid:")
    # The reference manifest records grant coverage: one row per generated role, nothing unused.
    coverage = embedded(html)["coverage"]
    assert coverage and all(row["unused"] == "" and row["used"] + row["reasoned"] >= row["granted"] for row in coverage)


def test_posture_sees_a_missing_tls_deny(template_edit):
    data = embedded(template_edit["html"].read_text())
    strings = data["strings"]
    posture = next(r[6] for r in data["resources"] if strings[r[0]] == "arn:aws:s3:::sm-mlops-hub-eu-west-1-models")
    assert posture[0] is False and "DP302" in posture[6]


def test_fix_hint_is_the_first_sentence_of_the_rules_best_practice(template_edit):
    data = embedded(template_edit["html"].read_text())
    strings = data["strings"]
    hint = next(strings[f[7]] for f in data["findings"] if f[0] == "DP302")
    assert hint.startswith("A Deny for Principal `*`") and hint.endswith(".")


def test_self_contained_no_network(reference_report):
    html = reference_report.read_text()
    page = html.split('<script type="application/json"', 1)[0] + html.rsplit("</script>", 2)[-2]
    assert not re.search(r"<link\b|\bsrc\s*=|@import|url\(|https?://", page)
    assert "default-src 'none'" in html


def test_org_file_input_has_org_file_lines_and_wildcard_reasons(tmp_path):
    from tests.conftest import REFERENCE

    target = tmp_path / "r.md"
    result = policygen("report", REFERENCE, "-o", target)
    assert result.returncode == 0, result.stderr
    html = tmp_path / "r.html"
    assert policygen("report", REFERENCE, "-o", html).returncode == 0
    data = embedded(html.read_text())
    assert data["wildcards"] and all(data["strings"][w[4]].startswith(str(REFERENCE) + ":") for w in data["wildcards"])


def test_base_as_a_git_revision_of_an_org_file(tmp_path):
    import subprocess

    repo = tmp_path / "repo"
    repo.mkdir()
    org = repo / "org.yaml"
    from tests.conftest import REFERENCE

    org.write_text(REFERENCE.read_text())
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "org.yaml"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=repo, check=True)
    text = org.read_text()
    start = text.index("  team2:")
    at = text.index("read: [data]", start)
    org.write_text(text[:at] + "read: [data, models]" + text[at + len("read: [data]"):])
    result = policygen("report", "org.yaml", "--base", "HEAD:org.yaml", "-o", "r.md", cwd=repo)
    assert result.returncode == 0, result.stderr
    md = (repo / "r.md").read_text()
    new = md.split("### New access", 1)[1].split("### Removed access", 1)[0]
    assert "sm-mlops-dev-eu-west-1-models" in new and "**outside**" not in new
    bad = policygen("report", "org.yaml", "--base", "nope:org.yaml", cwd=repo)
    assert bad.returncode == 2 and "git cannot show it" in bad.stderr


# escaping -------------------------------------------------------------------------------------

def test_input_text_is_escaped_in_html_and_markdown(tmp_path):
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    for target in (html, md):
        result = policygen("report", EVIL, "--base", EVIL_BASE, "--title", "<script>alert('title')</script>", "-o", target)
        assert result.returncode == 0, result.stderr
    text = html.read_text()
    assert "<img src=x" not in text and "<script>alert" not in text and "<script>document" not in text
    assert text.count("<script") == 2  # the data and the page's own script, nothing else
    assert "&lt;img src=x onerror=" in text  # the new external access in the summary, escaped by the template
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in text
    data = embedded(text)
    assert any("<img src=x onerror=" in s for s in data["strings"])  # the data round-trips unchanged
    markdown = md.read_text()
    assert "<img" not in markdown and "<script" not in markdown and "&lt;img src=x onerror=" in markdown


# Markdown size ----------------------------------------------------------------------------------

def test_markdown_truncates_with_a_count_and_points_to_the_html():
    from policygen.report.markdown import render
    from policygen.report.review import Account, EdgeView, Grant, Review

    accounts = [Account(f"{i:012d}", f"team{i}", True) for i in range(300)]
    edges = [EdgeView(f"arn:aws:iam::{i % 300:012d}:role/Reader{i}", f"{i % 300:012d}", f"arn:aws:s3:::bucket-{i}",
                      "bucket", f"{(i + 1) % 300:012d}", "read", "outside any VPC endpoint", ("s3:GetObject",),
                      (Grant(f"policies/p{i}.json", 4, "Read", "org.yaml:12"),), external=False, cross_account=True)
             for i in range(5000)]
    review = Review("big", [], "t", accounts, 5000, edges, [], [], [], [], None)
    text = render(review, html_link="https://ci.example/report.html")
    assert len(text) < LIMIT
    for account in accounts:
        assert account.name in text
    section = text.split("### Outside the organization and cross-account", 1)[1]
    shown = sum(1 for line in section.splitlines() if line.startswith("| arn:aws:iam::"))
    match = re.search(r"_(\d+) more edges not shown; all are in \[the HTML report\]\(https://ci\.example/report\.html\)", section)
    assert match and shown + int(match.group(1)) == len(edges) and shown > 0
    assert "Truncated to fit a pull-request comment" in text


def test_markdown_escapes_table_cells():
    from policygen.report.markdown import cell

    assert cell("a|b\nc<d>") == "a\\|b c&lt;d&gt;"


# authorization details ------------------------------------------------------------------------

def test_authorization_details_become_principals_and_policies():
    corpus = collect([str(AUTH)])
    principals = {r["Arn"]: r for r in corpus.roles}
    account = "210987654321"
    assert set(principals) == {f"arn:aws:iam::{account}:role/{n}" for n in ("DataScientist", "Deployer", "PartnerAccess")} | {
        f"arn:aws:iam::{account}:user/alice"}
    assert {r["AccountId"] for r in corpus.roles} == {account} and {d.account_id for d in corpus.docs} == {account}
    scientist = principals[f"arn:aws:iam::{account}:role/DataScientist"]
    assert scientist["Policies"] == ["role/DataScientist/assume-deployer", f"arn:aws:iam::{account}:policy/ReadLogs"]
    read_logs = next(d for d in corpus.docs if d.name.endswith("policy/ReadLogs"))
    assert read_logs.statements[0].sid == "ReadLogEvents"  # the default version, not v1
    assert read_logs.location.file == str(AUTH) and read_logs.location.line > 1
    assert principals[f"arn:aws:iam::{account}:user/alice"]["Policies"] == ["group/operators/assume-partner-access"]
    deployer_trust = next(d for d in corpus.docs if d.kind == "trust-policy" and d.name == "Deployer")  # URL-encoded in the export
    assert deployer_trust.statements[0].principal_values() == [f"arn:aws:iam::{account}:role/DataScientist"]


def test_authorization_details_in_the_graph_and_the_report(tmp_path):
    edges = json.loads(policygen("graph", "--format", "json", AUTH).stdout)["edges"]
    pairs = {(e["principal"].rsplit(":", 1)[-1], e["level"], e["resource"].rsplit("/", 1)[-1]) for e in edges}
    assert ("role/DataScientist", "assume", "Deployer") in pairs
    assert ("user/alice", "assume", "PartnerAccess") in pairs
    assert not any(p == "user/alice" and r == "Deployer" for p, _, r in pairs)  # Deployer trusts only DataScientist
    target = tmp_path / "r.md"
    assert policygen("report", AUTH, "-o", target).returncode == 0
    md = target.read_text()
    assert "**1** accounts: 210987654321" in md and "outside the organization: 888888888888" in md


def test_authorization_details_detection_is_by_top_level_keys():
    from policygen.ingest.authorization_details import is_authorization_details

    assert is_authorization_details({"RoleDetailList": [], "Policies": []})
    assert not is_authorization_details({"Version": "2012-10-17", "Statement": []})
    assert not is_authorization_details({"RoleDetailList": [], "Resources": {}})


# graph exports --------------------------------------------------------------------------------

def _graph(*args) -> list[dict]:
    result = policygen("graph", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["edges"]


def test_graph_filters():
    everything = _graph(OUT)
    prod_cross = _graph("--account", "prod", "--cross-account", OUT)
    assert 0 < len(prod_cross) < len(everything)
    assert all(e["cross_account"] and "666666666666" in (e["principal_account"], e["resource_account"]) for e in prod_cross)
    assert len(prod_cross) == sum(1 for e in everything if e["cross_account"] and "666666666666" in (e["principal_account"], e["resource_account"]))
    by_principal = _graph("--principal", "ModelExecutionRole", OUT)
    assert by_principal and all("ModelExecutionRole" in e["principal"] for e in by_principal)
    assert _graph("--external", OUT) == []


def test_graph_external_filter_finds_the_outside_account(template_edit):
    external = _graph("--external", template_edit["head"])
    assert [e["principal_account"] for e in external] == [OUTSIDE]


def test_graph_dot_and_mermaid(template_edit):
    dot = policygen("graph", "--format", "dot", template_edit["head"]).stdout
    assert dot.startswith("digraph access {") and dot.rstrip().endswith("}")
    declared = set(re.findall(r"^\s+(n\d+) \[label=", dot, re.M))
    arrows = re.findall(r"^\s+(n\d+) -> (n\d+) \[(.*)\];$", dot, re.M)
    assert arrows and all(a in declared and b in declared for a, b, _ in arrows)
    assert len(arrows) == len(_graph(template_edit["head"]))
    red = [attrs for _, _, attrs in arrows if "#b3261e" in attrs]
    assert len(red) == 1  # the one edge from outside the organization
    mermaid = policygen("graph", "--format", "mermaid", "--cross-account", template_edit["head"]).stdout
    assert mermaid.startswith("flowchart LR\n")
    links = re.findall(r"^\s+n\d+ -->\|\"[^\"|]*\"\| n\d+$", mermaid, re.M)
    assert len(links) == len(_graph("--cross-account", template_edit["head"]))
    assert "linkStyle" in mermaid


def test_mermaid_and_dot_escape_names():
    from policygen.access.graph import Edge
    from policygen.report.access import edges_dot, edges_mermaid

    edge = Edge('arn:aws:iam::1:role/a"b|<c>', "111111111111", "arn:aws:s3:::x", "bucket", "222222222222", "read",
                "outside any VPC endpoint", (), ())
    mermaid = edges_mermaid([edge], {"111111111111", "222222222222"}, {})
    assert '"arn:aws:iam::1:role/a#quot;b#124;#lt;c#gt;"' in mermaid
    assert 'label="arn:aws:iam::1:role/a\\"b|<c>"' in edges_dot([edge], set(), {})


# README ----------------------------------------------------------------------------------------

def test_readme_links_the_committed_screenshot():
    readme = (ROOT / "README.md").read_text()
    assert "## Security review report" in readme and "(docs/report.png)" in readme
    assert (ROOT / "docs" / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# suppressions and coverage ----------------------------------------------------------------------

def test_suppressions_with_reason_expiry_and_status(template_edit, tmp_path):
    (tmp_path / ".policygen.yaml").write_text(
        "suppressions:\n"
        "  - rule: DP308\n    paths: ['**/templates/shared.yaml']\n    reason: partner X reads images, SEC-42\n    expires: 2027-01-31\n"
        "  - rule: LP116\n    paths: ['**/trust-policy/ci-pipeline.json']\n    reason: CodeBuild project pinned elsewhere\n    expires: 2026-11-01\n")
    page = tmp_path / "r.html"
    result = policygen("report", template_edit["head"], "-o", page, "--today", "2026-12-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = embedded(page.read_text())
    strings = data["strings"]
    rows = {(s[0], strings[s[1]], s[2], s[4]) for s in data["suppressions"]}
    assert rows == {("DP308", "partner X reads images, SEC-42", "2027-01-31", "active"),
                    ("LP116", "CodeBuild project pinned elsewhere", "2026-11-01", "expired")}
    rules = [f[0] for f in data["findings"]]
    assert "DP308" not in rules and "PG001" in rules  # hidden by the live one; the expired one is an error


def test_grant_coverage_is_shown_when_the_manifest_has_it(tmp_path, reference_report):
    import shutil

    build = Path(shutil.copytree(OUT, tmp_path / "out"))
    manifest = json.loads((build / "manifest.json").read_text())
    manifest["coverage"] = [{"role": "arn:aws:iam::444444444444:role/SageMakerStudioExecutionRole", "granted": 12,
                             "used": 9, "reasoned": 3}]
    (build / "manifest.json").write_text(json.dumps(manifest, indent=2))
    page = tmp_path / "r.html"
    assert policygen("report", build, "-o", page).returncode == 0
    html = page.read_text()
    assert 'id="coverage-table"' in html and embedded(html)["coverage"] == manifest["coverage"]
    manifest.pop("coverage")
    (build / "manifest.json").write_text(json.dumps(manifest, indent=2))
    assert policygen("report", build, "-o", page).returncode == 0
    assert 'id="coverage-table"' not in page.read_text() and embedded(page.read_text())["coverage"] is None
