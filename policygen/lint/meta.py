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

    @property
    def family(self) -> str:
        return self.id[:2]

    def doc_section(self, title: str) -> str:
        return ""


EXPIRED = MetaRule("PG001", "error", "A suppression has expired",
                   "The suppression's expires date has passed, so it no longer hides the finding; fix the cause or renew it with a new reason.")
CRASHED = MetaRule("PG002", "error", "A rule failed on this document",
                   "The rule raised an exception; the run went on without it. Report it with the document.")
UNMATCHED = MetaRule("PG003", "warning", "A suppression matches no finding",
                     "Nothing it names is found any more; delete it so it cannot hide a future problem.")
MODIFIED = MetaRule("PG004", "warning", "A build file differs from its manifest",
                    "The file was edited after `policygen build`; edit the organization file and rebuild instead.")
COPY_DIFFERS = MetaRule("PG007", "warning", "A build's JSON copy differs from what its template deploys",
                        "The policies/ copy is for review and other tools; CloudFormation deploys the template, and that is "
                        "what policygen judges. Rebuild so the two agree, and review the template's change.")
META_RULES = (EXPIRED, CRASHED, UNMATCHED, MODIFIED, COPY_DIFFERS)
