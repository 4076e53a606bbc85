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
SKIPPED = MetaRule("PG005", "warning", "An input was not read",
                   "A file or folder under the paths given was skipped: a symbolic link to a place outside them, a link "
                   "back into a folder already read (a loop), or a FIFO, device or socket, which could block or never "
                   "end. Nothing it holds was linted; lint what it points to by naming it.",
                   fix="Name the file or folder the link points to, if it should be linted.")
OUTSIDE = MetaRule("PG006", "error", "A manifest names a file outside its build",
                   "An artifact path in manifest.json is absolute, contains '..', or resolves (through symbolic links "
                   "too) outside the build folder. policygen never writes such a manifest; the file is not read, so "
                   "nothing outside the build can reach a report.",
                   fix="Rebuild with policygen build; never edit manifest.json by hand.")
COPY_DIFFERS = MetaRule("PG007", "warning", "A build's JSON copy differs from what its template deploys",
                        "The policies/ copy is for review and other tools; CloudFormation deploys the template, and that is "
                        "what policygen judges. Rebuild so the two agree, and review the template's change.",
                        fix="Make the change in the organization file and rebuild, so template and copy agree.")
UNREADABLE = MetaRule("SY000", "error", "An input cannot be read",
                      "The file is not valid JSON or YAML, is not UTF-8, breaks one of the reader's limits, or is not "
                      "a policy, template, organization file or build the linter understands. Nothing in it was checked; "
                      "fix it at the line and column given. The run exits 2.",
                      fix="Fix the syntax at the line and column given (or name only policy, template and organization files).")
META_RULES = (UNREADABLE, EXPIRED, CRASHED, UNMATCHED, MODIFIED, SKIPPED, OUTSIDE, COPY_DIFFERS)
