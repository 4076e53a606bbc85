"""What every rule may read besides the document: the IAM catalogue and the organization's facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from policygen.iamdb import Catalogue, load


@dataclass
class LintContext:
    catalogue_path: str | None = None
    org_ids: set[str] = field(default_factory=set)
    accounts: dict[str, str] = field(default_factory=dict)  # account id -> name, when known
    world: object = None  # the access World, built by the engine when a cross-account rule runs
    focus: set[str] | None = None  # ARNs whose documents a pre-commit run touched; None: everything
    cfn_lint: bool = False  # run cfn-lint on the templates (cached by content, in parallel)
    jobs: int | None = None  # processes for the parallel parts (cfn-lint); None: every core
    templates: dict = field(default_factory=dict)  # template name -> text or Path, set by the engine
    regions: tuple[str, ...] = ("us-east-1",)  # regions cfn-lint checks the templates against

    @cached_property
    def graph(self) -> list:
        from policygen.access.graph import build_graph

        return build_graph(self.world, self.catalogue, focus=self.focus)

    @cached_property
    def catalogue(self) -> Catalogue:
        return load(self.catalogue_path)

    def known_account(self, account_id: str) -> bool | None:
        """True or False when we know the organization's accounts, None when we do not."""
        if not self.accounts:
            return None
        return account_id in self.accounts
