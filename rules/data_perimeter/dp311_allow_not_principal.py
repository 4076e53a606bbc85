from policygen.policydoc.document import PRINCIPAL_POLICIES
from policygen.lint.rule import Rule, hit


class AllowNotPrincipal(Rule):
    """An Allow uses NotPrincipal.

    **Anti-pattern**: `"Effect": "Allow", "NotPrincipal": {...}` allows everyone except the listed
    principals, anonymous callers included.

    **Best practice**: name the principals in Principal; use NotPrincipal, if at all, with Deny.
    """

    id = "DP311"
    severity = "error"
    fix = 'Name the principals in Principal; use NotPrincipal, if at all, only with Deny.'
    supersedes = ('XA207',)
    summary = "Allow with NotPrincipal"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"
    kinds = PRINCIPAL_POLICIES

    def check_statement(self, statement, doc, ctx):
        if statement.allows and "NotPrincipal" in statement.raw:
            yield hit(statement, "Allow with NotPrincipal grants everyone not listed", key="NotPrincipal")


RULE = AllowNotPrincipal()
