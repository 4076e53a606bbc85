"""Everything the linter was given, turned into documents, suppressions and organization facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from policygen.policydoc.document import PolicyDoc
from policygen.model.facts import OrgFacts
from policygen.model.finding import Location
from policygen.model.suppression import Suppression


@dataclass(frozen=True)
class ModifiedArtifact:
    """A file of a build that no longer matches the hash its manifest recorded."""

    location: Location
    origin: Location


@dataclass
class Corpus:
    docs: list[PolicyDoc] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    modified: list[ModifiedArtifact] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    org_ids: set[str] = field(default_factory=set)
    accounts: dict[str, str] = field(default_factory=dict)  # account id -> name
    facts: OrgFacts = field(default_factory=OrgFacts)  # accounts, OUs, endpoints, declared accesses
    roles: list[dict] = field(default_factory=list)  # roles/<account>/<Role>.json data, with "AccountId"
    # Files named one by one inside a build (a pre-commit run): the whole build is read, so that
    # cross-account rules see both sides, but only findings that involve these files are kept.
    focus: set[str] = field(default_factory=set)
    templates: dict[str, object] = field(default_factory=dict)  # shown name -> text, or Path to read if cfn-lint runs

    def add_organization(self, facts: OrgFacts | None) -> None:
        if facts is None:
            return
        self.facts = self.facts.merged(facts)
        if facts.id:
            self.org_ids.add(facts.id)
        for name, account_id in facts.accounts.items():
            self.accounts[account_id] = name
