from policygen.lint.actions import grants, star_resource
from policygen.policydoc.document import IDENTITY
from policygen.lint.rule import Rule, hit


class AssumeAnyRole(Rule):
    """sts:AssumeRole is allowed on `Resource: "*"`.

    **Anti-pattern**: the role may assume every role anywhere whose trust policy is loose, which
    turns one weak trust policy into a path across accounts.

    **Best practice**: name the role ARNs this principal assumes.
    """

    id = "LP106"
    severity = "error"
    summary = "sts:AssumeRole on Resource \"*\""
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html"
    kinds = frozenset({IDENTITY})

    def check_statement(self, statement, doc, ctx):
        star = star_resource(statement)
        if statement.allows and star is not None and grants(statement, ctx.catalogue, "sts:AssumeRole"):
            yield hit(statement, "sts:AssumeRole on any role", node=star)


RULE = AssumeAnyRole()
