"""ARN parsing and the question "could this policy Resource name a resource of that type?".

Both sides carry wildcards: the catalogue's ARN pattern has ${Variables}, the
policy's Resource has `*`, `?` and ${placeholders} (policy variables,
CloudFormation values). Two such patterns can match a common ARN exactly when the
regular languages they denote intersect, which a small dynamic programme decides.
"""

from __future__ import annotations

import re
from functools import lru_cache

_VAR = re.compile(r"\$\{[^}]*\}")

# What a catalogue variable may stand for. Bucket names have no "/" (so that
# `arn:aws:s3:::b/*` is not taken for a bucket); object keys may hold anything;
# other names never cross an ARN's ":" separators.
_ANY, _NO_COLON, _NO_SLASH = "any", "no-colon", "no-slash"
_VAR_CLASSES = {"ObjectName": _ANY, "BucketName": _NO_SLASH}


def _pattern_tokens(pattern: str) -> tuple:
    tokens, pos = [], 0
    for match in _VAR.finditer(pattern):
        tokens.extend(("c", ch) for ch in pattern[pos:match.start()])
        tokens.append(("v", _VAR_CLASSES.get(match.group(0)[2:-1], _NO_COLON)))
        pos = match.end()
    tokens.extend(("c", ch) for ch in pattern[pos:])
    return tuple(tokens)


def _resource_tokens(resource: str) -> tuple:
    tokens, pos = [], 0
    for match in _VAR.finditer(resource):
        tokens.extend(_glob_char(ch) for ch in resource[pos:match.start()])
        tokens.append(("*",))
        pos = match.end()
    tokens.extend(_glob_char(ch) for ch in resource[pos:])
    return tuple(tokens)


def _glob_char(ch: str) -> tuple:
    return ("*",) if ch == "*" else ("?",) if ch == "?" else ("c", ch)


def _allowed(cls: str, ch: str) -> bool:
    return cls == _ANY or (ch != ":" and (cls != _NO_SLASH or ch != "/"))


_CLASS_REGEX = {_ANY: ".*", _NO_COLON: "[^:]*", _NO_SLASH: "[^:/]*"}


@lru_cache(maxsize=4096)
def _pattern_regex(pattern: str) -> re.Pattern:
    """The catalogue pattern as a regular expression over literal ARNs (each variable by its class)."""
    return re.compile("".join(_CLASS_REGEX[t[1]] if t[0] == "v" else re.escape(t[1]) for t in _pattern_tokens(pattern)), re.S)


@lru_cache(maxsize=65536)
def could_match(pattern: str, resource: str) -> bool:
    """True when some ARN matches both the catalogue `pattern` and the policy `resource`."""
    if "*" not in resource and "?" not in resource and "${" not in resource:
        # a literal ARN: the intersection question is plain matching (linear, where the programme is quadratic)
        return _pattern_regex(pattern).fullmatch(resource) is not None
    a, b = _pattern_tokens(pattern), _resource_tokens(resource)
    seen: dict[tuple[int, int], bool] = {}

    def go(i: int, j: int) -> bool:
        key = (i, j)
        if key in seen:
            return seen[key]
        seen[key] = False  # guards cycles while exploring
        if i == len(a) and j == len(b):
            result = True
        elif j < len(b) and b[j][0] == "*" and go(i, j + 1):  # the glob matches nothing more
            result = True
        elif i < len(a) and a[i][0] == "v" and go(i + 1, j):  # the variable matches nothing more
            result = True
        elif i == len(a) or j == len(b):
            result = False
        else:
            result = _step(i, j)
        seen[key] = result
        return result

    def _step(i: int, j: int) -> bool:
        ta, tb = a[i], b[j]
        if ta[0] == "c":
            if tb[0] == "c":
                return ta[1] == tb[1] and go(i + 1, j + 1)
            # the glob consumes the literal: "?" moves on, "*" may stay
            return go(i + 1, j + 1) or (tb[0] == "*" and go(i + 1, j))
        cls = ta[1]
        if tb[0] == "c":
            return _allowed(cls, tb[1]) and go(i, j + 1)
        # variable against ? or *: both can take any allowed character
        return go(i, j + 1) or go(i + 1, j + 1) or (tb[0] == "*" and go(i + 1, j))

    return go(0, 0)


def parse_arn(text: str) -> dict | None:
    """The six parts of an ARN, or None if `text` is not shaped like one."""
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return dict(zip(("arn", "partition", "service", "region", "account", "resource"), parts))


_ACCOUNT = re.compile(r"\d{12}")
_ROOT = re.compile(r"arn:[a-z-]+:iam::\d{12}:root")


@lru_cache(maxsize=65536)
def account_of(principal: str) -> str | None:
    """The account a principal value names: "123456789012", an ARN in that account."""
    if _ACCOUNT.fullmatch(principal):
        return principal
    arn = parse_arn(principal)
    if arn and _ACCOUNT.fullmatch(arn["account"]):
        return arn["account"]
    return None


@lru_cache(maxsize=65536)
def is_account_root(principal: str) -> bool:
    return bool(_ACCOUNT.fullmatch(principal) or _ROOT.fullmatch(principal))
