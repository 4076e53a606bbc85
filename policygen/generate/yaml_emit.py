"""A small block-style YAML emitter for JSON-shaped data.

PyYAML's dumper reorders nothing we care about, but it is slow in pure Python and
its quoting choices change between versions. This emitter keeps insertion order,
quotes a string whenever PyYAML would read the plain form as anything but the
same string, and writes multi-line strings as literal blocks.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import yaml

_PLAIN_SHAPE = re.compile(r"^[A-Za-z0-9_/][A-Za-z0-9_./:@=+,()-]*$")
_resolver = yaml.resolver.Resolver()


@lru_cache(maxsize=65536)
def scalar(value: str) -> str:
    if (
        _PLAIN_SHAPE.match(value)
        and not value.endswith(":")
        and _resolver.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def _key(value: str) -> str:
    return scalar(str(value))


def _atom(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return scalar(str(value))


def emit(value, indent: int = 0) -> str:
    """YAML lines for value at the given indent, ending in a newline."""
    lines: list[str] = []
    _emit(value, indent, lines)
    return "\n".join(lines) + "\n"


def _literal_block(text: str, pad: str) -> list[str]:
    """'|' block for text ending in exactly one newline (templates); callers quote anything else."""
    return ["|"] + [pad + line if line else "" for line in text[:-1].split("\n")]


def _emit(value, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            lines.append(pad + "{}")
            return
        for k, v in value.items():
            _item(pad + _key(k) + ":", v, indent, lines)
    elif isinstance(value, list):
        if not value:
            lines.append(pad + "[]")
            return
        for v in value:
            if isinstance(v, dict) and v:
                first = True
                for k, inner in v.items():
                    prefix = pad + ("- " if first else "  ") + _key(k) + ":"
                    _item(prefix, inner, indent + 2, lines)
                    first = False
            else:
                _item(pad + "-", v, indent, lines)
    else:
        lines.append(pad + _atom(value))


def _item(prefix: str, value, indent: int, lines: list[str]) -> None:
    if isinstance(value, dict) and value:
        lines.append(prefix)
        _emit(value, indent + 2, lines)
    elif isinstance(value, list) and value:
        lines.append(prefix)
        _emit(value, indent + 2, lines)
    elif isinstance(value, str) and "\n" in value and value.endswith("\n") and not value.endswith("\n\n") and value[:1].strip() \
            and not any(line != line.rstrip() for line in value.split("\n")):
        head, *rest = _literal_block(value, " " * (indent + 2))
        lines.append(f"{prefix} {head}")
        lines.extend(rest)
    else:
        lines.append(f"{prefix} {_atom(value) if not isinstance(value, (dict, list)) else ('{}' if isinstance(value, dict) else '[]')}")
