from policygen.lint.families import LevelsOnAnyResource
from policygen.policydoc.document import IDENTITY


class PermissionsManagementOnAnyResource(LevelsOnAnyResource):
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

    levels = ("permissions-management",)
    label = "permissions management"


RULE = PermissionsManagementOnAnyResource()
