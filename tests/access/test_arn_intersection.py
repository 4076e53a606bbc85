"""could_match (SY010's question: can a policy Resource name an ARN of this catalogue pattern?) against
an independent oracle: a memoised search over pairs of positions, the programme it replaced. Digits are
among the parts: could_match answers for a resource with its digits zeroed when the pattern has none."""

from __future__ import annotations

import random
from functools import lru_cache

from policygen.access.arn import _pattern_tokens, _resource_tokens, could_match

_ANY, _NO_COLON, _NO_SLASH = "any", "no-colon", "no-slash"


def _allowed(cls: str, ch: str) -> bool:
    return cls == _ANY or (ch != ":" and (cls != _NO_SLASH or ch != "/"))


def oracle(pattern: str, resource: str) -> bool:
    a, b = _pattern_tokens(pattern), _resource_tokens(resource)

    @lru_cache(maxsize=None)
    def go(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if j < len(b) and b[j][0] == "*" and go(i, j + 1):
            return True
        if i < len(a) and a[i][0] == "v" and go(i + 1, j):
            return True
        if i == len(a) or j == len(b):
            return False
        ta, tb = a[i], b[j]
        if ta[0] == "c":
            if tb[0] == "c":
                return ta[1] == tb[1] and go(i + 1, j + 1)
            return go(i + 1, j + 1) or (tb[0] == "*" and go(i + 1, j))
        if tb[0] == "c":
            return _allowed(ta[1], tb[1]) and go(i, j + 1)
        return go(i, j + 1) or go(i + 1, j + 1) or (tb[0] == "*" and go(i + 1, j))

    return go(0, 0)


PATTERN_PARTS = ["a", "b", "1", ":", "/", "${BucketName}", "${ObjectName}", "${Account}"]
RESOURCE_PARTS = ["a", "b", "1", "2", ":", "/", "*", "?", "${X}"]


def _random(parts: list[str], rng: random.Random) -> str:
    return "".join(rng.choice(parts) for _ in range(rng.randint(0, 7)))


def test_agrees_with_the_pairwise_search_on_random_patterns():
    rng = random.Random(13)
    checked = disagreements = matched = 0
    for _ in range(20000):
        pattern, resource = _random(PATTERN_PARTS, rng), _random(RESOURCE_PARTS, rng)
        expected = oracle(pattern, resource)
        matched += expected
        checked += 1
        if could_match(pattern, resource) != expected:
            disagreements += 1
            assert False, (pattern, resource, expected)
    assert disagreements == 0 and 0 < matched < checked  # both answers occur


def test_catalogue_shapes():
    bucket = "arn:${Partition}:s3:::${BucketName}"
    obj = "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
    assert could_match(obj, "arn:aws:s3:::bench-*-data-*/*") and not could_match(bucket, "arn:aws:s3:::bench-*/x")
    assert could_match(bucket, "arn:aws:s3:::bench-?-data") and not could_match(bucket, "arn:aws:s3:::a:b*")
    assert could_match(role, "arn:aws:iam::*:role/*") and not could_match(role, "arn:aws:iam::*:user/*")
    assert could_match(role, "arn:aws:iam::${AWS::AccountId}:role/x")
