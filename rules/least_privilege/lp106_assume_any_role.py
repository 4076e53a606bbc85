from policygen.lint.families import StarResourceGrant
from policygen.policydoc.document import IDENTITY


class AssumeAnyRole(StarResourceGrant):
    """sts:AssumeRole is allowed on `Resource: "*"`.

    **Anti-pattern**: the role may assume every role anywhere whose trust policy is loose, which
    turns one weak trust policy into a path across accounts.

    **Best practice**: name the role ARNs this principal assumes.
    """

    id = "LP106"
    severity = "warning"
    summary = "sts:AssumeRole on Resource \"*\""
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html"
    kinds = frozenset({IDENTITY})
    action = "sts:AssumeRole"
    message = "sts:AssumeRole on any role"


RULE = AssumeAnyRole()
