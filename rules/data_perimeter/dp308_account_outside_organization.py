from policygen.access.arn import account_of
from policygen.lint.principals import is_own
from policygen.lint.conditions import narrows
from policygen.policydoc.document import PRINCIPAL_POLICIES, SHARE
from policygen.lint.rule import Hit, Rule, hit

ORG_KEYS = {"aws:principalorgid", "aws:principalorgpaths"}


class AccountOutsideOrganization(Rule):
    """A policy admits an account that is not one of the organization's.

    **Anti-pattern**: a trust, bucket or key policy naming `999999999999`, a consultant's or a
    mistyped account. Only checked when the organization's accounts are known (an org file, or a
    build's manifest).

    **Best practice**: grant only to accounts of the organization, and add
    `aws:PrincipalOrgID` so that a typo cannot reach outside.
    """

    id = "DP308"
    severity = "error"
    summary = "Principal account is outside the organization"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid"
    kinds = PRINCIPAL_POLICIES | {SHARE}

    def check(self, doc, ctx):
        if not ctx.accounts:
            return
        if doc.kind == SHARE:
            body = doc.body if isinstance(doc.body, dict) else {}
            for value in body.get("Principals") or []:
                account = account_of(str(value))
                if account and not ctx.known_account(account):
                    yield Hit(f"shared with account {account}, which is not in the organization", getattr(value, "line", doc.location.line))
            return
        yield from super().check(doc, ctx)

    def check_statement(self, statement, doc, ctx):
        if not statement.allows or any(narrows(c, ORG_KEYS) for c in statement.conditions):
            return
        for value in statement.principal_values("AWS"):
            account = account_of(value)
            if account and not is_own(value, doc) and not ctx.known_account(account):
                yield hit(statement, f"admits account {account}, which is not in the organization", node=value)


RULE = AccountOutsideOrganization()
