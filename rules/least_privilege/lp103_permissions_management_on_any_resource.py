from policygen.lint.actions import at_levels, shorten, star_resource
from policygen.policydoc.document import IDENTITY
from policygen.lint.rule import Rule, hit


class PermissionsManagementOnAnyResource(Rule):
    """Permissions-management actions are granted on `Resource: "*"`.

    **Anti-pattern**: `iam:PutRolePolicy`, `s3:PutBucketPolicy` or `kms:PutKeyPolicy` on `"*"`.
    Whoever holds the role can rewrite who may do what, which is privilege escalation by design.

    **Best practice**: grant permissions management only to administrative roles, on named
    resources, ideally with a permissions boundary.
    """

    id = "LP103"
    severity = "error"
    supersedes = ('LP102',)
    summary = "Permissions-management actions on Resource \"*\""
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html"
    kinds = frozenset({IDENTITY})

    def check_statement(self, statement, doc, ctx):
        star = star_resource(statement)
        if not statement.allows or star is None:
            return
        for value in statement.actions:
            names = at_levels(ctx.catalogue, value, ("permissions-management",), scoped_only=True)
            if names:
                shown = shorten(names)
                yield hit(statement, f"permissions management on Resource \"*\": {shown}", node=value)


RULE = PermissionsManagementOnAnyResource()
