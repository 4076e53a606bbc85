"""Evaluate a statement's Condition block against a request context (IAM User Guide, condition operators).

Rules that are easy to get wrong, and which the tests pin down:
- a missing key makes a condition false, except that negated operators (StringNotEquals,
  ArnNotLike, NotIpAddress, ...) are then true; `...IfExists` is true; `Null` tests presence;
- several values for one key are ORed; for negated operators they are NORed;
- ForAllValues is true when the key is missing or empty; ForAnyValue is then false.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from policygen.policydoc.operators import NEGATED, POSITIVE, parse_operator
from policygen.policydoc.match import MissingVariable, arn_like, glob_match, lookup, substitute



class UnsupportedOperator(Exception):
    pass


def block_holds(block: dict | None, context: dict) -> bool:
    """Do the tests of a Condition block all hold in the context? A Condition that is text or a list
    (not a mapping of mappings) never holds: AWS refuses the policy; it grants nothing."""
    return tests_hold(_prepared(block), context)


def statement_holds(statement, context: dict) -> bool:
    """block_holds for a statement's Condition, with its values read once per statement: the access graph
    asks the same statements about thousands of requests, and a compact statement lists hundreds of
    accounts, which StringEquals then looks up in a set."""
    return tests_hold(prepared_tests(statement), context)


def tests_hold(tests: tuple | bool, context: dict) -> bool:
    """`_prepared` tests, ANDed in their order; False stands for a block that never holds."""
    return tests is not False and all(condition_holds(operator, key, wanted, context, exact) for operator, key, wanted, exact in tests)


def prepared_tests(statement) -> tuple | bool:
    """The statement's Condition as `_prepared` tests, prepared once per statement."""
    tests = statement.__dict__.get("_condition_tests")
    if tests is None:
        tests = statement.__dict__["_condition_tests"] = _prepared(statement.get("Condition"))
    return tests


def _prepared(block) -> tuple | bool:
    """(operator, key, values as text, the values as a set when the test is StringEquals without variables),
    for each test of the block in order; False for a block that is not a mapping of mappings."""
    if not block:
        return ()
    if not isinstance(block, dict):
        return False
    tests = []
    for operator, keys in block.items():
        if not isinstance(keys, dict):
            return False
        for key, values in keys.items():
            wanted = [str(v).lower() if isinstance(v, bool) else str(v) for v in (values if isinstance(values, list) else [values])]
            try:
                base = parse_operator(str(operator))[0]
            except Exception:  # noqa: BLE001 - an operator the evaluator refuses is refused when the test runs
                base = None
            exact = (frozenset(w.replace("\x01", "") for w in wanted)
                     if POSITIVE.get(base, base) == "StringEquals" and not any("${" in w for w in wanted) else None)
            tests.append((str(operator), str(key), wanted, exact))
    return tuple(tests)


def condition_holds(operator: str, key: str, wanted: list[str], context: dict, exact: frozenset | None = None) -> bool:
    base, qualifier, if_exists = parse_operator(operator)
    present = lookup(context, key)
    if base == "Null":
        absent = present is None or present == []
        return any((w.lower() == "true") == absent for w in wanted)
    values = present if isinstance(present, list) else ([] if present is None else [present])
    values = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
    if qualifier == "ForAllValues":
        if not values:
            return True
        return all(_single(base, v, wanted, context, exact) for v in values)
    if qualifier == "ForAnyValue":
        return any(_single(base, v, wanted, context, exact) for v in values)
    if not values:
        return if_exists or base in NEGATED
    # A single-valued key with several values in the request (unusual): any of them may satisfy it.
    return any(_single(base, v, wanted, context, exact) for v in values)


def _single(base: str, actual: str, wanted: list[str], context: dict, exact: frozenset | None = None) -> bool:
    if base in NEGATED:
        return not _single(POSITIVE[base], actual, wanted, context, exact)
    if exact is not None and base == "StringEquals":
        return actual in exact
    for value in wanted:
        try:
            expected = substitute(value, context) if base.startswith(("String", "Arn")) else value
        except MissingVariable:
            continue
        if _compare(base, actual, expected):
            return True
    return False


def _compare(base: str, actual: str, expected: str) -> bool:
    if base == "StringEquals":
        return actual == expected.replace("\x01", "")
    if base == "StringEqualsIgnoreCase":
        return actual.lower() == expected.replace("\x01", "").lower()
    if base == "StringLike":
        return glob_match(expected, actual)
    if base == "Bool":
        return actual.lower() == expected.lower()
    if base in ("ArnEquals", "ArnLike"):
        return arn_like(expected, actual)
    if base.startswith("Numeric"):
        return _ordered(base[len("Numeric"):], _number(actual), _number(expected))
    if base.startswith("Date"):
        return _ordered(base[len("Date"):], _date(actual), _date(expected))
    if base == "IpAddress":
        try:
            return ipaddress.ip_address(actual) in ipaddress.ip_network(expected, strict=False)
        except ValueError:
            return False
    if base == "BinaryEquals":
        return actual == expected
    raise UnsupportedOperator(base)


def _ordered(relation: str, actual, expected) -> bool:
    if actual is None or expected is None:
        return False
    return {
        "Equals": actual == expected, "LessThan": actual < expected, "LessThanEquals": actual <= expected,
        "GreaterThan": actual > expected, "GreaterThanEquals": actual >= expected,
    }.get(relation, False)


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return None


def _date(text: str):
    try:
        if text.replace(".", "", 1).isdigit():
            return float(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
