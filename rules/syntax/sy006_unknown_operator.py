from policygen.lint.conditions import OPERATORS
from policygen.lint.rule import Hit, Rule

QUALIFIERS = ("", "ForAnyValue", "ForAllValues")


class UnknownOperator(Rule):
    """A Condition uses an operator IAM does not have.

    **Anti-pattern**: `"StringEqual"`, `"ArnEqualsIfExist"`, `"ForAnyValues:StringLike"`. IAM
    rejects the policy when it is created, so the stack fails to deploy.

    **Best practice**: use the operators of the IAM condition operator reference, with at most one
    `ForAnyValue:`/`ForAllValues:` prefix and an optional `IfExists` suffix (not on `Null`).
    """

    id = "SY006"
    severity = "error"
    summary = "Unknown condition operator"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"

    def check_statement(self, statement, doc, ctx):
        for condition in statement.conditions:
            bad = (condition.base not in OPERATORS or condition.qualifier not in QUALIFIERS
                   or (condition.base == "Null" and condition.if_exists))
            if bad:
                yield Hit(f"'{condition.operator}' is not an IAM condition operator", condition.line, statement)


RULE = UnknownOperator()
