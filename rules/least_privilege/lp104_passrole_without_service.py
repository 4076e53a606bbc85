from policygen.lint.actions import grants
from policygen.lint.conditions import narrows
from policygen.policydoc.document import IDENTITY
from policygen.lint.rule import Rule, hit


class PassRoleWithoutService(Rule):
    """iam:PassRole is allowed without an `iam:PassedToService` condition.

    **Anti-pattern**: passing a SageMaker execution role is meant for SageMaker, but without the
    condition the same grant lets the holder hand the role to EC2, Lambda or Glue and run code
    with its permissions.

    **Best practice**: `"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}` on
    every PassRole grant, with the role ARNs named in Resource.
    """

    id = "LP104"
    severity = "warning"
    summary = "iam:PassRole without iam:PassedToService"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"
    kinds = frozenset({IDENTITY})

    def check_statement(self, statement, doc, ctx):
        if not statement.allows:
            return
        value = grants(statement, ctx.catalogue, "iam:PassRole")
        if value is None:
            return
        if not any(narrows(c, {"iam:passedtoservice"}) for c in statement.conditions):
            yield hit(statement, f"'{value}' allows iam:PassRole to any service; add an iam:PassedToService condition",
                      node=value)


RULE = PassRoleWithoutService()
