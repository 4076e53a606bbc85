"""Baselines: record today's findings so that a legacy repository reports only new ones.

A finding's fingerprint survives line moves and reformatting: it is the rule, the file and a hash of
what the finding is about (the statement's normalised content and the document's name; for a
cross-document finding, its message), never the line. `policygen lint --write-baseline FILE` writes the
fingerprints of every finding of the run; `--baseline FILE` reports only the findings whose fingerprint
is not recorded, marked "new"; SARIF also carries the recorded ones as `baselineState: "unchanged"`,
suppressed (kind "external"), so code scanning tracks them without annotating them. They never
count toward the exit status. Without a baseline no state is given.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from policygen.errors import InputError, Problem
from policygen.model.finding import Finding

VERSION = 1
_LINES = re.compile(r"\bline \d+")


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _message(message: str) -> str:
    return _LINES.sub("line ?", message)  # "also used at line 12" moves with the file


def fingerprint(rule_id: str, doc, hit) -> str:
    """Rule, file, document and the statement's content (or the message for a document-level finding)."""
    content = hit.statement.raw if hit.statement is not None else None
    return _digest(rule_id, doc.location.file, doc.kind, doc.name, content, _message(hit.message))


def pair_fingerprint(rule_id: str, file: str, message: str) -> str:
    return _digest(rule_id, file, _message(message))


def write_baseline(path: str, findings: list[Finding]) -> None:
    data = {"version": VERSION, "tool": "policygen",
            "findings": sorted({(f.fingerprint, f.rule, f.file) for f in findings if f.fingerprint})}
    data["findings"] = [{"fingerprint": fp, "rule": rule, "file": file} for fp, rule, file in data["findings"]]
    Path(path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def read_baseline(path: str) -> set[str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {str(entry["fingerprint"]) for entry in data["findings"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(Problem(f"{path}: not a policygen baseline ({type(exc).__name__}: {exc})")) from None


def apply_baseline(findings: list[Finding], known: set[str]) -> tuple[list[Finding], list[Finding]]:
    """The findings not in the baseline, each marked "new"; and those it holds, marked "unchanged"."""
    new = [dataclasses.replace(f, baseline_state="new") for f in findings if f.fingerprint not in known]
    unchanged = [dataclasses.replace(f, baseline_state="unchanged") for f in findings if f.fingerprint in known]
    return new, unchanged
