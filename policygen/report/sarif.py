"""SARIF 2.1.0, as GitHub code scanning and other PR annotators read it.

Every result has a physical location with a line, so the annotation lands on the
offending statement; rule metadata carries the summary, the docs and a help URI.
"""

from __future__ import annotations

import json

from policygen.model.finding import Finding
from policygen.lint.result import Report
from policygen.report.rules_doc import help_uri

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render(report: Report) -> str:
    rule_ids = sorted({f.rule for f in [*report.findings, *report.unchanged]} | {r.id for r in report.rules})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    data = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "policygen",
                "version": report.tool_version,
                "informationUri": "https://github.com/policygen/policygen",
                "rules": [_rule(report.rule(rule_id), rule_id) for rule_id in rule_ids],
                "properties": {"iamCatalogue": report.catalogue},
            }},
            "results": [_result(f, index[f.rule], report.rule(f.rule)) for f in report.findings]
                       + [_unchanged(f, index[f.rule], report.rule(f.rule)) for f in report.unchanged],
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(data, indent=2) + "\n"


def _rule(rule, rule_id: str) -> dict:
    if rule is None:
        return {"id": rule_id}
    anti, best = rule.doc_section("Anti-pattern"), rule.doc_section("Best practice")
    fix = getattr(rule, "fix_hint", "")
    markdown = f"{rule.description}\n\n" + (f"**Anti-pattern**: {anti}\n\n" if anti else "") + (
        f"**Best practice**: {best}\n\n" if best else "") + (f"**Fix**: {fix}\n\n" if fix else "") + (
        f"[{rule.id} in docs/rules.md]({help_uri(rule)})\n")
    return {
        "id": rule.id,
        "name": type(rule).__name__ if type(rule).__name__ != "MetaRule" else rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description},
        "help": {"text": f"{rule.description} {anti} {best} Fix: {fix} See {help_uri(rule)}".strip(), "markdown": markdown},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["security", rule.family], **({"awsDocumentation": rule.url} if "docs.aws" in rule.url else {})},
    }


def _result(f: Finding, rule_index: int, rule=None) -> dict:
    fix = getattr(rule, "fix_hint", "") if rule is not None else ""
    result = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": f.message + (f" Fix: {fix}" if fix else "")},
        "locations": [_location(f.file, f.line, f.column)],
        "partialFingerprints": {"policygen/v1": f"{f.rule}:{f.file}:{f.message}",
                                **({"policygen/v2": f.fingerprint} if f.fingerprint else {})},
    }
    if f.baseline_state:
        result["baselineState"] = f.baseline_state
    if fix:
        result["properties"] = {"fix": fix}
    related = ([f.origin] if f.origin and f.origin != f.location else []) + list(f.related)
    if related:
        result["relatedLocations"] = [
            {**_location(r.file, r.line), "id": i, "message": {"text": "organization file line" if r == f.origin else "generated artifact"}}
            for i, r in enumerate(related)
        ]
    return result


def _unchanged(f: Finding, rule_index: int, rule=None) -> dict:
    """A finding the baseline holds: carried for tracking, suppressed so that it is not annotated again."""
    return {**_result(f, rule_index, rule), "suppressions": [{"kind": "external", "justification": "in the baseline"}]}


def _location(file: str, line: int, column: int | None = None) -> dict:
    region = {"startLine": max(1, line), **({"startColumn": column} if column else {})}
    return {"physicalLocation": {"artifactLocation": {"uri": file.replace("(generated) ", "")}, "region": region}}
