import datetime
import ipaddress
import re

from policygen.lint.conditions import OPERATORS
from policygen.lint.rule import Hit, Rule


class ConditionValueType(Rule):
    """A condition value cannot be read as the operator's type.

    **Anti-pattern**: `"Bool": {"aws:SecureTransport": "no"}`, `"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}`,
    `"NumericLessThan": {"s3:max-keys": "ten"}`, `"ArnEquals": {"aws:PrincipalArn": "role/x"}`.
    IAM either rejects the policy or the comparison never matches.

    **Best practice**: `Bool` and `Null` take "true"/"false"; `Numeric*` numbers; `Date*` ISO 8601
    dates or epoch seconds; `IpAddress` CIDR blocks; `Arn*` values starting with `arn:`.
    """

    id = "SY007"
    severity = "error"
    fix = 'Write the value the operator expects: "true"/"false" for Bool and Null, numbers for Numeric, dates for Date.'
    summary = "Condition value does not fit the operator's type"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"

    def check_statement(self, statement, doc, ctx):
        for condition in statement.conditions:
            kind = OPERATORS.get(condition.base)
            for value in condition.values:
                if isinstance(value, (dict, list)) or not _fits(kind, value):
                    yield Hit(f"{condition.operator} on '{condition.key}': '{value}' is not a valid {kind} value",
                              getattr(value, "line", 0) or condition.line, statement)


def _fits(kind, value) -> bool:
    text = str(value).lower() if not isinstance(value, bool) else str(value).lower()
    if text.startswith("${"):  # a policy variable or a template value: known only at request time
        return True
    if kind in ("Bool", "Null"):
        return text in ("true", "false")
    if kind == "Numeric":
        return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None
    if kind == "Date":
        if re.fullmatch(r"\d+", text):
            return True
        try:
            datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            return True
        except ValueError:
            return False
    if kind == "IPAddress":
        try:
            ipaddress.ip_network(str(value), strict=False)
            return True
        except ValueError:
            return False
    if kind == "ARN":
        return text == "*" or text.startswith("arn:")
    return True


RULE = ConditionValueType()
