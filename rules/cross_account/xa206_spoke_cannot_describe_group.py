from policygen.lint.families import DeclaredPathDenied


class SpokeCannotDescribeGroup(DeclaredPathDenied):
    """A spoke account declared as a consumer cannot describe the hub's model package group.

    **Anti-pattern**: the group's resource policy (or the spoke role's identity policy) misses
    `sagemaker:DescribeModelPackageGroup` or names another account; the spoke's deployment cannot
    find the approved model.

    **Best practice**: the group policy grants the describe and list actions to each spoke's role,
    and the spoke role's policy allows them on the group ARN.
    """

    id = "XA206"
    severity = "error"
    summary = "Spoke cannot describe its model package group"
    url = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-ram.html"
    target_kinds = ("model-package-group",)
    levels = ("read", "write")
    what = "the spoke cannot reach the group"


RULE = SpokeCannotDescribeGroup()
