from policygen.lint.families import StarResourceGrant
from policygen.policydoc.document import IDENTITY


class PassRoleAnyRole(StarResourceGrant):
    """iam:PassRole is allowed on `Resource: "*"`.

    **Anti-pattern**: the holder may pass any role of the account, including administrator roles,
    to a service that then acts with it.

    **Best practice**: name the role ARNs that may be passed.
    """

    id = "LP105"
    severity = "error"
    supersedes = ('LP102',)
    summary = "iam:PassRole on Resource \"*\""
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"
    kinds = frozenset({IDENTITY})
    action = "iam:PassRole"
    message = "iam:PassRole on every role of the account"


RULE = PassRoleAnyRole()
