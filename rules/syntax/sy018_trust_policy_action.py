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
    fix = "Move the statement to the resource's own policy (or the role's identity policy); a trust policy allows only sts actions."
    summary = "Trust policy allows a non-STS action"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#term_trust-policy"
    kinds = frozenset({TRUST})

    def check_statement(self, statement, doc, ctx):
        # One finding per statement: the statement is in the wrong kind of policy, not each of its actions.
        wrong = [value for value in statement.actions if value.lower() not in TRUST_ACTIONS]
        if wrong:
            shown = ", ".join(f"'{v}'" for v in wrong[:3]) + (f" and {len(wrong) - 3} more" if len(wrong) > 3 else "")
            verb = "has" if len(wrong) == 1 else "have"
            yield hit(statement, f"{shown} {verb} no meaning in a trust policy", node=wrong[0])


RULE = TrustPolicyAction()
