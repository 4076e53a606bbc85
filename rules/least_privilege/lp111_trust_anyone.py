from policygen.lint.conditions import restricts_principal
from policygen.policydoc.document import TRUST
from policygen.lint.rule import Rule, hit


class TrustAnyone(Rule):
    """A trust policy lets `*` assume the role without a condition that restricts who.

    **Anti-pattern**: `"Principal": {"AWS": "*"}` with no condition, or one any caller can meet.
    Any AWS principal in any account can assume the role.

    **Best practice**: name the trusted principals; if `*` is unavoidable, restrict it with
    `aws:PrincipalOrgID` or `aws:PrincipalArn`.
    """

    id = "LP111"
    severity = "error"
    fix = 'Name the trusted principals, or pin "*" with aws:PrincipalOrgID or aws:PrincipalArn.'
    supersedes = ('XA207', 'XA202')
    summary = "Trust policy trusts \"*\" without a restricting condition"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous"
    kinds = frozenset({TRUST})

    def check_statement(self, statement, doc, ctx):
        if statement.allows and statement.public and not restricts_principal(statement):
            yield hit(statement, "any AWS principal can assume this role", key="Principal")


RULE = TrustAnyone()
