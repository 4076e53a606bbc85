from policygen.lint.actions import grants, star_resource
from policygen.policydoc.document import IDENTITY
from policygen.lint.rule import Rule, hit

DATA_ACTIONS = ("s3:GetObject", "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters",
                "ssm:GetParametersByPath", "kms:Decrypt", "sagemaker:GetRecord", "sagemaker:BatchGetRecord")


class DataReadOnAnyResource(Rule):
    """Actions that read data are granted on `Resource: "*"`.

    **Anti-pattern**: `s3:GetObject` or `secretsmanager:GetSecretValue` on `"*"`. The role reads
    every object or secret that does not deny it, including other teams' training data.

    **Best practice**: name the buckets, prefixes, secrets or keys the workload reads.
    """

    id = "LP112"
    severity = "warning"
    summary = "Data-reading actions on Resource \"*\""
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
    kinds = frozenset({IDENTITY})

    def check_statement(self, statement, doc, ctx):
        star = star_resource(statement)
        if not statement.allows or star is None:
            return
        found = [name for name in DATA_ACTIONS if grants(statement, ctx.catalogue, name)]
        if found:
            yield hit(statement, f"reads any data: {', '.join(found)} on Resource \"*\"", node=star)


RULE = DataReadOnAnyResource()
