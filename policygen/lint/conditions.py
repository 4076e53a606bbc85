"""What condition operators exist, which values they take, and which conditions narrow who can call."""

from __future__ import annotations

from policygen.policydoc.document import Condition, Statement
from policygen.policydoc.operators import NEGATED, OPERATORS  # noqa: F401  (rules import OPERATORS from here)

# Keys whose value a caller cannot choose and which say who calls or from where.
# An Allow open to "*" is safe only when one of them pins it down.
RESTRICTING_KEYS = {
    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:userid",
    "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourcevpce", "aws:sourcevpc",
    "aws:sourcevpcarn", "aws:sourceip", "aws:vpcsourceip", "kms:calleraccount", "aws:principalservicename",
    "aws:resourceaccount", "aws:resourceorgid",
    "aws:sourceowner",  # SNS's default topic policy: the account that owns the source (aws:SourceAccount's predecessor)
}
# Keys that single out principals inside a trusted account (for trust policies).
PRINCIPAL_IDENTIFYING_KEYS = {"aws:principalarn", "aws:userid", "sts:externalid", "aws:sourceidentity",
                              "aws:principalorgid", "aws:principalorgpaths", "aws:sourceaccount", "aws:sourcearn"}


def is_concrete(value) -> bool:
    """A value that names something, rather than matching anything.

    Template values (`!Ref AWS::AccountId`) and policy variables name one thing per
    request, so they count; a value we could not resolve (`${?}`) might be "*", so it does not.
    """
    text = str(value)
    return bool(text) and text.strip("*?") != "" and "${?}" not in text


def narrows(condition: Condition, keys: set[str]) -> bool:
    """True when the condition admits only requests whose key equals (or matches) named values."""
    if condition.key.lower() not in keys or condition.if_exists or condition.base in NEGATED:
        return False
    if condition.qualifier == "ForAllValues":  # true when the key is absent
        return False
    if OPERATORS.get(condition.base) not in ("String", "ARN", "IPAddress"):
        return False
    return bool(condition.values) and all(is_concrete(v) for v in condition.values)


def restricts_principal(statement: Statement, keys: set[str] = RESTRICTING_KEYS) -> bool:
    return any(narrows(c, keys) for c in statement.conditions)
