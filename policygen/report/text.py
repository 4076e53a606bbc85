"""Human-readable findings, grouped by file, coloured on a terminal."""

from __future__ import annotations

import click

from policygen.errors import safe
from policygen.lint.result import Report

COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
INDENT = " " * 28  # under the rule id: the position (9), the severity (7) and the gaps


def position(finding) -> str:
    """`line:column`, or the line alone when the column is not known."""
    return f"{finding.line}:{finding.column}" if finding.column else str(finding.line)


def render(report: Report) -> str:
    style = (lambda text, **kw: click.style(text, **kw)) if report.color else (lambda text, **kw: text)
    lines: list[str] = []
    current = None
    for f in report.findings:
        if f.file != current:
            if current is not None:
                lines.append("")
            lines.append(style(safe(f.file), bold=True))
            current = f.file
        severity = style(f"{f.severity:<7}", fg=COLOURS[f.severity])
        # under the file's name, `line:column` (editors and terminals open file:line:column)
        lines.append(f"  {position(f):>9}  {severity} {style(f.rule, bold=True)}  {safe(f.message)}")
        rule = report.rule(f.rule)
        if getattr(rule, "fix_hint", ""):
            lines.append(f"{INDENT}{style('fix:', dim=True)} {rule.fix_hint}")
        if f.origin and f.origin != f.location:
            lines.append(f"{INDENT}from {safe(f.origin)}")
        for related in f.related:
            lines.append(f"{INDENT}in {safe(related)}")
    summary = ", ".join(_count(report.counts.get(s, 0), s) for s in ("error", "warning", "info"))
    hidden = [_count(report.suppressed, "suppressed", plural="suppressed")]
    if report.baselined:
        hidden.append(f"{report.baselined} in the baseline")
    if lines:
        lines.append("")
    lines.append(f"{_count(len(report.files), 'file')}, {_count(report.documents, 'document')} checked: {summary}; "
                 + ", ".join(hidden) + f" (IAM catalogue: {report.catalogue})")
    return "\n".join(lines) + "\n"


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
