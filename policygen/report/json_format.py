"""Findings as one JSON object with a `findings` list, for scripts."""

from __future__ import annotations

import json

from policygen.lint.result import Report


def render(report: Report) -> str:
    data = {
        "tool": {"name": "policygen", "version": report.tool_version, "iam_catalogue": report.catalogue},
        "inputs": report.files,
        "summary": {s: report.counts.get(s, 0) for s in ("error", "warning", "info")},
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "message": f.message,
                "file": f.file,
                "line": f.line,
                **({"column": f.column} if f.column else {}),  # 1-based; absent when not known
                **({"origin": {"file": f.origin.file, "line": f.origin.line}} if f.origin else {}),
                **({"related": [{"file": r.file, "line": r.line} for r in f.related]} if f.related else {}),
                **({"fix": getattr(report.rule(f.rule), "fix_hint", "")} if getattr(report.rule(f.rule), "fix_hint", "") else {}),
            }
            for f in report.findings
        ],
    }
    return json.dumps(data, indent=2) + "\n"
