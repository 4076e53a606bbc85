from policygen.lint.conditions import OPERATORS
from policygen.lint.rule import Hit, Rule

# key type (catalogue) -> operator types that compare it meaningfully
COMPATIBLE = {
    "String": {"String", "Null"},
    "ArrayOfString": {"String", "Null"},
    "ARN": {"ARN", "String", "Null"},
    "ArrayOfARN": {"ARN", "String", "Null"},
    "Bool": {"Bool", "Null"},
    "ArrayOfBool": {"Bool", "Null"},
    "Numeric": {"Numeric", "Null"},
    "Date": {"Date", "Numeric", "Null"},
    "IPAddress": {"IPAddress", "Null"},
}


class OperatorKeyMismatch(Rule):
    """The operator compares a different type than the condition key holds.

    **Anti-pattern**: `"StringEquals": {"aws:SourceIp": "10.0.0.0/8"}` compares text with an
    address, so `10.1.2.3` never equals it; `"StringEquals": {"aws:SecureTransport": "false"}`
    and `"Bool": {"aws:PrincipalArn": ...}` likewise never behave as meant.

    **Best practice**: pick the operator family the key's type calls for: IpAddress for addresses,
    Bool for booleans, Date or Numeric for times, Arn or String for ARNs, String for strings.
    """

    id = "SY008"
    severity = "warning"
    summary = "Condition operator does not fit the key's type"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"

    def check_statement(self, statement, doc, ctx):
        for condition in statement.conditions:
            kind = OPERATORS.get(condition.base)
            key_type = ctx.catalogue.key_type(condition.key) if condition.key else None
            if kind and key_type in COMPATIBLE and kind not in COMPATIBLE[key_type]:
                yield Hit(f"{condition.operator} compares {kind} values, but '{condition.key}' is {key_type}",
                          condition.line, statement)


RULE = OperatorKeyMismatch()
