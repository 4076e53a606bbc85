"""Findings the engine itself raises, documented like rules so `policygen rules` lists them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetaRule:
    id: str
    severity: str
    summary: str
    description: str
    url: str = "https://github.com/policygen/policygen/blob/main/docs/rules.md"
    fix: str = ""
    supersedes: tuple = ()

    @property
    def fix_hint(self) -> str:
        return self.fix

    @property
    def family(self) -> str:
        return self.id[:2]

    def doc_section(self, title: str) -> str:
        return ""


EXPIRED = MetaRule("PG001", "error", "A suppression has expired",
                   "The suppression's expires date has passed, so it no longer hides the finding; fix the cause or renew it with a new reason.",
                   fix="Fix the finding it hid, or renew the suppression with a new reason and date.")
CRASHED = MetaRule("PG002", "error", "A rule failed on this document",
                   "The rule raised an exception; the run went on without it. Report it with the document.",
                   fix="Report the crash with the document; the other rules' findings are complete.")
UNMATCHED = MetaRule("PG003", "info", "A suppression matches no finding",
                     "Nothing it names is found any more; delete it so it cannot hide a future problem.",
                     fix="Delete the suppression.")
MODIFIED = MetaRule("PG004", "warning", "A build file differs from its manifest",
                    "The file was edited after `policygen build`; edit the organization file and rebuild instead.",
                    fix="Make the change in the organization file and run policygen build again.")
META_RULES = (EXPIRED, CRASHED, UNMATCHED, MODIFIED)
