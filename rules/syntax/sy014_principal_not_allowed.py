from policygen.policydoc.document import IDENTITY, SCP
from policygen.lint.rule import Rule, hit


class PrincipalNotAllowed(Rule):
    """An identity policy or SCP has a Principal or NotPrincipal element.

    **Anti-pattern**: a bucket-policy statement pasted into a role's policy. IAM rejects identity
    policies with Principal (the principal is whoever the policy is attached to); Organizations
    rejects SCPs with it.

    **Best practice**: remove Principal; express "who" by attaching the policy to the right role,
    or with an `aws:PrincipalArn` condition in an SCP.
    """

    id = "SY014"
    severity = "error"
    fix = 'Remove Principal: identity policies and SCPs apply to the principals they are attached to.'
    summary = "Principal present in an identity policy or SCP"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
    kinds = frozenset({IDENTITY, SCP})

    def check_statement(self, statement, doc, ctx):
        for key in ("Principal", "NotPrincipal"):
            if key in statement.raw:
                yield hit(statement, f"{key} is not allowed in a {doc.kind}", key=key)


RULE = PrincipalNotAllowed()
