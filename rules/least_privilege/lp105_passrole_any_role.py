from policygen.lint.actions import grants, star_resource
from policygen.policydoc.document import IDENTITY
from policygen.lint.rule import Rule, hit


class PassRoleAnyRole(Rule):
    """iam:PassRole is allowed on `Resource: "*"`.

    **Anti-pattern**: the holder may pass any role of the account, including administrator roles,
    to a service that then acts with it.

    **Best practice**: name the role ARNs that may be passed.
    """

    id = "LP105"
    severity = "error"
    summary = "iam:PassRole on Resource \"*\""
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"
    kinds = frozenset({IDENTITY})

    def check_statement(self, statement, doc, ctx):
        star = star_resource(statement)
        if statement.allows and star is not None and grants(statement, ctx.catalogue, "iam:PassRole"):
            yield hit(statement, "iam:PassRole on every role of the account", node=star)


RULE = PassRoleAnyRole()
