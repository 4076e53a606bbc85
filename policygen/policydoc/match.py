"""Wildcard matching and policy variables, as IAM applies them to Action, Resource and condition values."""

from __future__ import annotations

import re
from functools import lru_cache

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_SPECIAL = {"*": "*", "?": "?", "$": "$"}  # ${*} ${?} ${$}: a literal * ? $


class MissingVariable(Exception):
    """A policy variable names a key the request does not carry: that value matches nothing."""


def substitute(value: str, context: dict) -> str:
    """Replace ${key} with the request's value. Literal wildcards stay escaped as \\x01* etc."""
    if "${" not in value:
        return value

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in _SPECIAL:
            return "\x01" + _SPECIAL[name]
        key, _, default = name.partition(", ")
        found = lookup(context, key.strip())
        if found is None or isinstance(found, list):
            if default:
                return default.strip().strip("'")
            raise MissingVariable(key)
        return str(found).replace("*", "\x01*").replace("?", "\x01?")

    return _VARIABLE.sub(replace, value)


def as_glob(pattern: str) -> str:
    """A Resource pattern with its ${...} (policy variables, template values) read as "*":
    what it could name, before the request fills them in."""
    return _VARIABLE.sub("*", pattern)


def lookup(context: dict, key: str):
    """Context keys are case-insensitive."""
    if key in context:
        return context[key]
    lowered = key.lower()
    for name, value in context.items():
        if name.lower() == lowered:
            return value
    return None


@lru_cache(maxsize=1 << 17)  # an organization of 5,000 accounts has tens of thousands of distinct patterns
def _glob(pattern: str, ignore_case: bool) -> re.Pattern:
    parts, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\x01" and i + 1 < len(pattern):  # an escaped literal from ${*} or a variable's value
            parts.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        parts.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(parts), re.S | (re.I if ignore_case else 0))


@lru_cache(maxsize=1 << 17)
def _star_parts(pattern: str) -> tuple[str, ...]:
    return tuple(pattern.split("*"))


def _star_match(parts: tuple[str, ...], text: str) -> bool:
    """A pattern whose only wildcard is `*`: its first part starts the text, its last ends it, and the
    parts between occur in order in what is left. Taking each middle part where it first occurs is
    never wrong: a later occurrence only leaves less room for the rest."""
    first, last = parts[0], parts[-1]
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    pos = len(first)
    for part in parts[1:-1]:
        found = text.find(part, pos, end)
        if found < 0:
            return False
        pos = found + len(part)
    return True


def glob_match(pattern: str, text: str, ignore_case: bool = False) -> bool:
    if "*" not in pattern and "?" not in pattern and "\x01" not in pattern:
        # no wildcard: equality (large organizations have more literal ARNs than the regex cache holds)
        return pattern.lower() == text.lower() if ignore_case else pattern == text
    if "?" not in pattern and "\x01" not in pattern and (not ignore_case or (pattern.isascii() and text.isascii())):
        # Compiling a regular expression costs about half a millisecond, and a large organization has
        # thousands of distinct patterns, each matched a few times; `*` alone needs no regex.
        if ignore_case:
            pattern, text = pattern.lower(), text.lower()
        return _star_match(_star_parts(pattern), text)
    return _glob(pattern, ignore_case).fullmatch(text) is not None


def action_matches(pattern: str, action: str) -> bool:
    """Action names are case-insensitive; `*` matches any run of characters."""
    return glob_match(pattern, action, ignore_case=True)


def resource_matches(pattern: str, resource: str, context: dict) -> bool:
    """Resources are case-sensitive; policy variables are replaced first."""
    if pattern == "*":
        return True
    try:
        return glob_match(substitute(pattern, context), resource)
    except MissingVariable:
        return False


@lru_cache(maxsize=1 << 16)  # conditions compare the same caller ARNs with the same patterns for every action
def arn_like(pattern: str, arn: str) -> bool:
    """ArnLike: each of the six colon-separated parts matches on its own."""
    p, a = pattern.split(":", 5), arn.split(":", 5)
    if len(p) != 6 or len(a) != 6:
        return glob_match(pattern, arn)
    return all(glob_match(x, y) for x, y in zip(p, a))
