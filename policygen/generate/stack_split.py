"""An account's resources in stacks CloudFormation accepts: at most 500 resources a template.

An account template stays one stack while it fits, which every reference-sized organization does.
Past the quota (a registry hub of a 5,000-account organization declares about a thousand model
package groups) the resources are spread over parts. Two things decide where a resource goes:

- Resources that name each other (`Ref`, `Fn::GetAtt`, `${...}` in `Fn::Sub`, `DependsOn`) stay in
  one stack, since CloudFormation resolves those names within a stack only.
- A group of them goes to the part its first logical id hashes to (CRC-32), among a power-of-two
  number of parts. So adding or removing an entry of the organization file moves no other resource
  between stacks, which would delete it from one and create it in another. Only when the number of
  parts doubles does a resource move, and then only from part i to part i + n/2 (a hash modulo 2n
  is the hash modulo n, or that plus n): the first part keeps the account's own template name
  (`<account>.yaml`), the others are `<account>.part-2.yaml`, `<account>.part-3.yaml`, ...
"""

from __future__ import annotations

import re
import zlib
from typing import Any, Iterable

from policygen.errors import BuildError
from policygen.generate import quotas
from policygen.generate.emit import CfnResource
from policygen.generate.render import cfn_values

_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")


def split_resources(resources: list[CfnResource], limit: int | None = None) -> list[list[CfnResource]]:
    """The parts, each within `limit` resources (CloudFormation's quota by default); one part (the
    list itself) when it fits."""
    limit = quotas.TEMPLATE_RESOURCES if limit is None else limit
    if len(resources) <= limit:
        return [resources]
    groups = _connected(resources)
    largest = max(groups, key=len)
    if len(largest) > limit:
        raise BuildError(f"{len(largest)} resources of account {largest[0].scope} name each other "
                         f"(from {largest[0].logical_id}); one stack holds at most {limit}")
    # Room for growth: the hash does not spread evenly, and a count chosen at the edge of the quota
    # would double (and move resources) on the next entry.
    count = 2
    while len(resources) > count * limit * 4 // 5:
        count *= 2
    while True:
        parts: list[list[CfnResource]] = [[] for _ in range(count)]
        for group in groups:
            parts[_bucket(group, count)].extend(group)
        if max(len(p) for p in parts) <= limit:
            return parts
        count *= 2


def part_name(account: str, index: int) -> str:
    """The template's file name: the first part keeps the account's own."""
    return f"{account}.yaml" if index == 0 else f"{account}.part-{index + 1}.yaml"


def _bucket(group: list[CfnResource], count: int) -> int:
    first = min(r.logical_id for r in group)
    return zlib.crc32(first.encode()) % count


def _connected(resources: list[CfnResource]) -> list[list[CfnResource]]:
    """Resources joined by the names they use of each other, in logical-id order."""
    ids = {r.logical_id for r in resources}
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for res in resources:
        for other in _names_used(res) & ids:
            a, b = root(res.logical_id), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[CfnResource]] = {}
    for res in sorted(resources, key=lambda r: r.logical_id):
        groups.setdefault(root(res.logical_id), []).append(res)
    return list(groups.values())


def _names_used(res: CfnResource) -> set[str]:
    return set(res.depends_on) | set(_walk(cfn_values(res.properties)))


def _walk(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                yield inner
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) and inner else str(inner).split(".")[0]
                if isinstance(target, str):
                    yield target
            elif key == "Fn::Sub":
                template = inner[0] if isinstance(inner, list) and inner else inner
                if isinstance(template, str):
                    yield from _SUB_NAME.findall(template)
                if isinstance(inner, list) and len(inner) > 1:
                    yield from _walk(inner[1])
                continue
            yield from _walk(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from _walk(inner)
