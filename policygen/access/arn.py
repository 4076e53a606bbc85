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


_CLASS_REGEX = {_ANY: ".*", _NO_COLON: "[^:]*", _NO_SLASH: "[^:/]*"}


@lru_cache(maxsize=4096)
def _pattern_regex(pattern: str) -> re.Pattern:
    """The catalogue pattern as a regular expression over literal ARNs (each variable by its class)."""
    return re.compile("".join(_CLASS_REGEX[t[1]] if t[0] == "v" else re.escape(t[1]) for t in _pattern_tokens(pattern)), re.S)


@lru_cache(maxsize=4096)
def _pattern_masks(pattern: str) -> tuple[int, int, dict[str, int], dict[str, int]]:
    """The catalogue pattern as bit sets over its token positions: which positions are variables, and
    per character, which literal positions are that character and which variables may take it."""
    tokens = _pattern_tokens(pattern)
    variables = sum(1 << i for i, t in enumerate(tokens) if t[0] == "v")
    literal: dict[str, int] = {}
    for i, t in enumerate(tokens):
        if t[0] == "c":
            literal[t[1]] = literal.get(t[1], 0) | 1 << i
    by_class = {cls: sum(1 << i for i, t in enumerate(tokens) if t == ("v", cls)) for cls in (_ANY, _NO_COLON, _NO_SLASH)}
    taking = {ch: by_class[_ANY] | (0 if ch == ":" else by_class[_NO_COLON] | (0 if ch == "/" else by_class[_NO_SLASH]))
              for ch in (":", "/")}
    return len(tokens), variables, literal, {**taking, "": by_class[_ANY] | by_class[_NO_COLON] | by_class[_NO_SLASH]}


_DIGIT = re.compile(r"[0-9]")


@lru_cache(maxsize=4096)
def _literal_digits(pattern: str) -> bool:
    return _DIGIT.search(_VAR.sub("", pattern)) is not None


def could_match(pattern: str, resource: str) -> bool:
    """True when some ARN matches both the catalogue `pattern` and the policy `resource`."""
    if not _literal_digits(pattern):
        # A digit of the resource can then only be taken by a variable, and every variable class takes
        # every digit: the answer is the same for each account id and each numbered name, so one
        # answer serves all of them (a large organization asks once per account otherwise).
        resource = _DIGIT.sub("0", resource)
    return _could_match(pattern, resource)


@lru_cache(maxsize=65536)
def _could_match(pattern: str, resource: str) -> bool:
    if "*" not in resource and "?" not in resource and "${" not in resource:
        # a literal ARN: the intersection question is plain matching
        return _pattern_regex(pattern).fullmatch(resource) is not None
    # The product of the two patterns' automata, run over the resource's tokens: `states` holds, as
    # bits, the pattern positions some common prefix can reach. Linear in the resource's length with
    # one big-integer operation per step, where a memoised search over position pairs was quadratic.
    size, variables, literal, taking = _pattern_masks(pattern)
    every = (1 << (size + 1)) - 1
    any_var = taking[""]
    states = _skip_empty(1, variables)
    # A ${...} in the resource (a policy variable, a template value) stands for any text, as "*" does.
    for n, chunk in enumerate(_VAR.split(resource)):
        for ch in ("*" + chunk) if n else chunk:
            if ch == "*":
                # "*" takes any string, and every pattern token can take some string (a variable the
                # empty one): every position from the first one reached on is reachable
                states = every & ~((states & -states) - 1)
            elif ch == "?":
                states = ((states & ~variables) << 1) & every | (states & any_var)
            else:
                states = (states & literal.get(ch, 0)) << 1 | (states & taking.get(ch, any_var))
            if states & variables:
                states = _skip_empty(states, variables)
            if not states:
                return False
    return bool(states >> size & 1)


def _skip_empty(states: int, variables: int) -> int:
    """A variable may stand for the empty string: past it is reachable wherever it is."""
    while True:
        more = states | (states & variables) << 1
        if more == states:
            return states
        states = more


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
