from policygen.policydoc.document import PRINCIPAL_POLICIES
from policygen.lint.rule import Rule, hit


class PrincipalMissing(Rule):
    """A statement of a resource or trust policy names no Principal.

    **Anti-pattern**: an identity-style statement pasted into a bucket, key, repository or trust
    policy. The service rejects the policy: a resource policy must say whom it is about.

    **Best practice**: give every statement a Principal (use `"*"` with a Deny and its condition
    for perimeter statements).
    """

    id = "SY013"
    severity = "error"
    summary = "Principal missing from a resource or trust policy statement"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
    kinds = PRINCIPAL_POLICIES

    def check_statement(self, statement, doc, ctx):
        if "Principal" not in statement.raw and "NotPrincipal" not in statement.raw:
            yield hit(statement, f"a {doc.kind} statement needs a Principal")


RULE = PrincipalMissing()
