from policygen.lint.principals import OWN, account, is_root
from policygen.lint.conditions import PRINCIPAL_IDENTIFYING_KEYS, restricts_principal
from policygen.policydoc.document import TRUST
from policygen.lint.rule import Rule, hit


class TrustWholeAccount(Rule):
    """A trust policy trusts an entire account without a condition that names who.

    **Anti-pattern**: `"Principal": {"AWS": "arn:aws:iam::111122223333:root"}` alone. Every role
    and user of that account whose own policy allows sts:AssumeRole on this role can assume it;
    whoever administers that account decides who gets in.

    **Best practice**: trust the account root only together with
    `"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/the-caller"}` (which is
    what policygen generates) or name the role ARN as principal.
    """

    id = "LP110"
    severity = "error"
    summary = "Trust policy trusts a whole account without a condition"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts"
    kinds = frozenset({TRUST})

    def check_statement(self, statement, doc, ctx):
        if not statement.allows:
            return
        for value in statement.principal_values("AWS"):
            if is_root(value) and not restricts_principal(statement, PRINCIPAL_IDENTIFYING_KEYS):
                yield hit(statement, f"trusts every principal of account {_shown(account(value))}",
                          node=value)


def _shown(acct: str | None) -> str:
    return "this template's own account" if acct == OWN else str(acct)


RULE = TrustWholeAccount()
