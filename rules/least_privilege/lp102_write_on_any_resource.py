from policygen.lint.actions import at_levels, shorten, star_resource
from policygen.policydoc.document import IDENTITY
from policygen.lint.rule import Rule, hit

LEVELS = ("write", "tagging")


class WriteOnAnyResource(Rule):
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

    def check_statement(self, statement, doc, ctx):
        star = star_resource(statement)
        if not statement.allows or star is None:
            return
        for value in statement.actions:
            if value == "*" or value.endswith(":*"):
                continue  # LP101 reports these
            names = at_levels(ctx.catalogue, value, LEVELS, scoped_only=True)
            if names:
                shown = shorten(names)
                yield hit(statement, f"write access on Resource \"*\": {shown}", node=value)


RULE = WriteOnAnyResource()
