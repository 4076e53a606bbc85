from policygen.policydoc.document import TRUST
from policygen.lint.rule import Rule, hit

TRUST_ACTIONS = {"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity", "sts:tagsession",
                 "sts:setsourceidentity", "sts:setcontext", "sts:*", "*"}


class TrustPolicyAction(Rule):
    """A trust policy allows an action that is not part of assuming the role.

    **Anti-pattern**: `"Action": "s3:GetObject"` in AssumeRolePolicyDocument. IAM rejects it
    (MalformedPolicyDocument), usually after a copy-paste from a bucket policy.

    **Best practice**: trust policies allow only sts:AssumeRole, AssumeRoleWithSAML,
    AssumeRoleWithWebIdentity, TagSession, SetSourceIdentity or SetContext.
    """

    id = "SY018"
    severity = "error"
    summary = "Trust policy allows a non-STS action"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#term_trust-policy"
    kinds = frozenset({TRUST})

    def check_statement(self, statement, doc, ctx):
        for value in statement.actions:
            if value.lower() not in TRUST_ACTIONS:
                yield hit(statement, f"'{value}' has no meaning in a trust policy", node=value)


RULE = TrustPolicyAction()
