"""Checks that several rules make with one value changed; each rule file names its value.

A rule file keeps its id, severity, summary, link and documentation; the check itself is
written once here (DP303/DP304, LP105/LP106, SY019/SY020, XA204/XA206/XA208).
"""

from __future__ import annotations

from typing import Iterable

from policygen.lint.actions import at_levels, grants, shorten, star_resource
from policygen.lint.cfn_lint_findings import cfn_lint_hits
from policygen.lint.declared_paths import denied_paths
from policygen.lint.rule import CorpusRule, Hit, PairHit, Rule, hit
from policygen.lint.vpc import has_endpoint_deny


class VpcOnlyWithoutEndpointDeny(Rule):
    """A resource declared vpc_only whose policy has no endpoint Deny for `action`."""

    action = ""  # the data action a request from outside the endpoints must be refused

    def check(self, doc, ctx) -> Iterable[Hit]:
        if doc.declared.vpc_only and not has_endpoint_deny(doc, self.action, ctx.catalogue):
            yield Hit(f"declared vpc_only, but no Deny refuses {self.action} from outside the listed VPC endpoints "
                      "(StringNotEquals aws:SourceVpce)", doc.statement_line)


class StarResourceGrant(Rule):
    """An Allow of `action` on `Resource: "*"`."""

    action = ""
    message = ""

    def check_statement(self, statement, doc, ctx) -> Iterable[Hit]:
        star = star_resource(statement)
        if statement.allows and star is not None and grants(statement, ctx.catalogue, self.action):
            yield hit(statement, self.message, node=star)


class LevelsOnAnyResource(Rule):
    """Actions of some access levels, that accept resource ARNs, granted on `Resource: "*"`
    (LP102 write and tagging, LP103 permissions management)."""

    levels: tuple[str, ...] = ()
    label: str = ""
    skip_service_wildcards = False  # LP101 reports `*` and `service:*`

    def check_statement(self, statement, doc, ctx):
        if not statement.allows or star_resource(statement) is None:
            return
        for value in statement.actions:
            if self.skip_service_wildcards and (value == "*" or value.endswith(":*")):
                continue
            names = at_levels(ctx.catalogue, value, self.levels, scoped_only=True)
            if names:
                yield hit(statement, f"{self.label} on Resource \"*\": {shorten(names)}", node=value)


class CfnLintLevel(CorpusRule):
    """cfn-lint's matches of one level ("error" or "warning") for the run's templates."""

    level = ""
    context_flags = {"cfn_lint": True}  # what the fixture test turns on, as --cfn-lint does
    runs_in_parent = True  # SY019 and SY020 read one cfn-lint run

    def check_world(self, world, ctx) -> Iterable[PairHit]:
        yield from cfn_lint_hits(ctx, self.level)


class DeclaredPathDenied(CorpusRule):
    """Declared accesses to `target_kinds` at `levels` that the policies deny end to end."""

    target_kinds: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    what = ""  # the first words of the message: what the denial means

    def check_world(self, world, ctx) -> Iterable[PairHit]:
        for kind in self.target_kinds:
            yield from denied_paths(world, kind, self.levels, self.what)
