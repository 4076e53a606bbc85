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
    facts: OrgFacts = field(default_factory=OrgFacts)  # accounts, OUs, endpoints, declared accesses
    roles: list[dict] = field(default_factory=list)  # roles/<account>/<Role>.json data, with "AccountId"
    # Files named one by one inside a build (a pre-commit run): the whole build is read, so that
    # cross-account rules see both sides, but only findings that involve these files are kept.
    focus: set[str] = field(default_factory=set)
    stackset_bodies: set[str] = field(default_factory=set)  # TemplateBody texts of the StackSets read
    templates: dict[str, object] = field(default_factory=dict)  # shown name -> text, or Path to read if cfn-lint runs
    # A build's JSON copies that differ from what its templates deploy (the templates are what counts).
    differing_copies: list[ModifiedArtifact] = field(default_factory=list)

    def add_template(self, read, file: str, text: object) -> None:
        """A template's documents, roles and suppressions (a `ingest.template.TemplateRead`)."""
        self.templates[file] = text
        self.docs.extend(read.docs)
        self.roles.extend({**role, "File": file} for role in read.roles)
        self.suppressions.extend(read.suppressions)
        self.stackset_bodies.update(body.strip() for body in read.stackset_bodies)
        if read.facts is not None:
            self.add_organization(read.facts)

    def drop_stackset_body_files(self, texts: dict[str, str]) -> None:
        """Template files that are the body of a StackSet read in the same run are its instances already."""
        bodies = {f for f, text in texts.items() if text.strip() in self.stackset_bodies}
        if not bodies:
            return
        self.docs = [d for d in self.docs if d.location.file not in bodies]
        self.roles = [r for r in self.roles if r.get("File") not in bodies]
        self.suppressions = [s for s in self.suppressions if s.scope_file not in bodies]

    def add_organization(self, facts: OrgFacts | None) -> None:
        if facts is None:
            return
        self.facts = self.facts.merged(facts)
        if facts.id:
            self.org_ids.add(facts.id)
        for name, account_id in facts.accounts.items():
            self.accounts[account_id] = name
