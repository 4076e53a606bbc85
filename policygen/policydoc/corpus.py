"""Everything the linter was given, turned into documents, suppressions and organization facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from policygen.policydoc.document import PolicyDoc
from policygen.model.finding import Location
from policygen.model.suppression import Suppression


@dataclass(frozen=True)
class ModifiedArtifact:
    """A file of a build that no longer matches the hash its manifest recorded."""

    location: Location
    origin: Location


@dataclass(frozen=True)
class SkippedInput:
    """A file or folder the linter was pointed at but did not read (a link out of the tree, a FIFO...)."""

    location: Location
    reason: str
    rule: str = "PG005"  # PG006 for a manifest path outside its build


@dataclass
class Corpus:
    docs: list[PolicyDoc] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    modified: list[ModifiedArtifact] = field(default_factory=list)
    skipped: list[SkippedInput] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    org_ids: set[str] = field(default_factory=set)
    accounts: dict[str, str] = field(default_factory=dict)  # account id -> name
    facts: dict = field(default_factory=dict)  # the manifest's organization facts (accesses, OUs, endpoints)
    roles: list[dict] = field(default_factory=list)  # roles/<account>/<Role>.json data, with "AccountId"
    # Files named one by one inside a build (a pre-commit run): the whole build is read, so that
    # cross-account rules see both sides, but only findings that involve these files are kept.
    focus: set[str] = field(default_factory=set)
    templates: dict[str, object] = field(default_factory=dict)  # shown name -> text, or Path to read if cfn-lint runs

    def add_organization(self, facts: dict | None) -> None:
        if not facts:
            return
        self.facts = facts if not self.facts else {**self.facts, **facts}
        if facts.get("id"):
            self.org_ids.add(facts["id"])
        for name, account_id in (facts.get("accounts") or {}).items():
            self.accounts[str(account_id)] = name
