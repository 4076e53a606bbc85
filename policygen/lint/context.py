"""What every rule may read besides the document. Built before the rules run; no rule changes it.

Costly parts (the access graph, cfn-lint's results) are computed on first use by the objects
that own them (`access.view.AccessView`, `lint.cfn_lint_findings.CfnLintRun`), not by the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from policygen.access.view import AccessView
from policygen.iamdb import Catalogue
from policygen.lint.cfn_lint_findings import CfnLintRun


@dataclass(frozen=True)
class LintContext:
    catalogue: Catalogue
    accounts: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # account id -> name, when known
    org_ids: frozenset[str] = frozenset()
    access: AccessView | None = None  # the cross-account world, when a corpus rule runs
    cfn_lint: CfnLintRun | None = None  # with --cfn-lint
    jobs: int | None = 1  # processes for the document rules (None: one per core)

    @property
    def world(self):
        return self.access.world if self.access is not None else None

    @property
    def graph(self) -> list:
        return self.access.graph if self.access is not None else []

    def known_account(self, account_id: str) -> bool | None:
        """True or False when we know the organization's accounts, None when we do not."""
        if not self.accounts:
            return None
        return account_id in self.accounts
