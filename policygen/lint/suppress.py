"""Apply suppressions: hide what they cover, report the expired and the unmatched ones."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os

from policygen.lint import meta
from policygen.model.finding import Finding
from policygen.model.suppression import Suppression


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression], today: dt.date,
                       active_rules: set[str], config_dir: str | None) -> tuple[list[Finding], int]:
    """The findings left, with the expired and unmatched suppressions reported; and how many were hidden."""
    used: set[int] = set()
    kept: list[Finding] = []
    hidden = 0
    live = [(i, s) for i, s in enumerate(suppressions) if not s.expired(today)]
    for finding in findings:
        relative = _relative(finding.file, config_dir)
        covering = [i for i, s in live if s.covers(finding, relative if s.source == "config" else None)]
        if covering:
            used.update(covering)
            hidden += 1
        else:
            kept.append(finding)
    for i, s in enumerate(suppressions):
        if s.expired(today):
            kept.append(Finding(meta.EXPIRED.id, meta.EXPIRED.severity,
                                f"suppression of {s.rule} expired on {s.expires.isoformat()} ({s.reason}); fix the finding or renew it",
                                s.where))
        elif i not in used and _rule_ran(s.rule, active_rules):
            kept.append(Finding(meta.UNMATCHED.id, meta.UNMATCHED.severity,
                                f"suppression of {s.rule} matches no finding; delete it", s.where))
    return kept, hidden


def _rule_ran(pattern: str, active_rules: set[str]) -> bool:
    """A suppression of a rule that was not run (--select) is not 'unmatched'."""
    return any(fnmatch.fnmatchcase(rule, pattern) for rule in active_rules)


def _relative(file: str, config_dir: str | None) -> str:
    if not config_dir:
        return file
    path = os.path.relpath(os.path.abspath(file.replace("(generated) ", "")), config_dir)
    return path.replace(os.sep, "/")
