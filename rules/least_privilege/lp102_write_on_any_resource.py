from policygen.lint.families import LevelsOnAnyResource
from policygen.policydoc.document import IDENTITY


class WriteOnAnyResource(LevelsOnAnyResource):
    """Write or tagging actions that support resource ARNs are granted on `Resource: "*"`.

    **Anti-pattern**: `"Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": "*"`. The role
    can change every object in every bucket that does not deny it, in this account and others.

    **Best practice**: name the resources. Actions that support no resource ARN (the catalogue
    says which) are exempt, as `*` is the only way to grant them.
    """

    id = "LP102"
    severity = "warning"
    summary = "Write actions on Resource \"*\""
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
    kinds = frozenset({IDENTITY})

    levels = ("write", "tagging")
    label = "write access"
    skip_service_wildcards = True


RULE = WriteOnAnyResource()
