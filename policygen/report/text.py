"""Human-readable findings, grouped by file, coloured on a terminal."""

from __future__ import annotations

import click

from policygen.errors import safe
from policygen.lint.result import Report

COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


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
        lines.append(f"  {f.line:>5}  {severity} {style(f.rule, bold=True)}  {safe(f.message)}")
        if f.origin and f.origin != f.location:
            lines.append(f"         {'':7}        from {safe(f.origin)}")
        for related in f.related:
            lines.append(f"         {'':7}        in {safe(related)}")
    summary = ", ".join(f"{report.counts.get(s, 0)} {s}{'s' if report.counts.get(s, 0) != 1 else ''}"
                        for s in ("error", "warning", "info"))
    if lines:
        lines.append("")
    lines.append(f"{len(report.files)} input{'s' if len(report.files) != 1 else ''} checked: {summary}")
    return "\n".join(lines) + "\n"
