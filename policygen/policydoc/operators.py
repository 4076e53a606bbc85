"""IAM condition operators: their names, value types, negation and how an operator is spelt.

One table for the linter (which operators exist, what values they take) and the evaluator
(which operators are negated, so that a missing key makes them true).
Source: IAM User Guide, "IAM JSON policy elements: Condition operators".
"""

from __future__ import annotations

# base operator -> the value type it compares
OPERATORS = {
    **{op: "String" for op in ("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
                               "StringLike", "StringNotLike")},
    **{op: "Numeric" for op in ("NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
                                "NumericGreaterThan", "NumericGreaterThanEquals")},
    **{op: "Date" for op in ("DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
                             "DateGreaterThanEquals")},
    "Bool": "Bool",
    "BinaryEquals": "Binary",
    "IpAddress": "IPAddress", "NotIpAddress": "IPAddress",
    **{op: "ARN" for op in ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike")},
    "Null": "Null",
}
# A negated operator is true when the key is missing; its positive form decides otherwise.
POSITIVE = {"StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
            "StringNotLike": "StringLike", "NumericNotEquals": "NumericEquals", "DateNotEquals": "DateEquals",
            "NotIpAddress": "IpAddress", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike"}
NEGATED = frozenset(POSITIVE)
SET_QUALIFIERS = ("ForAnyValue", "ForAllValues")


def parse_operator(operator: str) -> tuple[str, str, bool]:
    """'ForAnyValue:StringLikeIfExists' -> ('StringLike', 'ForAnyValue', True)."""
    qualifier, _, rest = operator.rpartition(":")
    if_exists = rest.endswith("IfExists") and rest != "IfExists"
    return (rest[: -len("IfExists")] if if_exists else rest), qualifier, if_exists
