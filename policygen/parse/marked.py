"""YAML to plain Python values, remembering where every key and value stood.

PyYAML's constructors drop positions and silently let a later duplicate key win,
so we walk the node graph of the shared composer (`compose.py`: safe tags, limits) once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from policygen.errors import InputError, Problem
from policygen.model.span import Span
from policygen.parse import compose
from policygen.parse.located_yaml import key_text

Path = tuple[str | int, ...]


@dataclass
class Marked:
    """Plain data plus, for every path into it, the span of the value and of its key."""

    file: str
    data: Any
    values: dict[Path, Span] = field(default_factory=dict)
    keys: dict[Path, Span] = field(default_factory=dict)
    raw: dict[Path, str] = field(default_factory=dict)  # scalar text as written
    plain_digits: set[Path] = field(default_factory=set)  # unquoted all-digit scalars, whatever they resolved to

    def span(self, path: Path) -> Span:
        """The span of the value at path, or of the nearest enclosing value we know."""
        for end in range(len(path), -1, -1):
            prefix = tuple(path[:end])
            if prefix in self.values:
                return replace(self.values[prefix], path=dotted(prefix))
        return Span(self.file, 1, 1)

    def key_span(self, path: Path) -> Span:
        key = self.keys.get(tuple(path))
        return replace(key, path=dotted(tuple(path))) if key else self.span(path)


def dotted(path: Path) -> str:
    """`("teams", "team1")` -> `teams.team1`, `("grants", 0)` -> `grants[0]`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _span(file: str, node: yaml.Node) -> Span:
    return compose.span_of(file, node.start_mark)


class _Walker:
    """One pass over the composed nodes. Aliases are walked again where they are used; the
    composer has already bounded what that expands to."""

    def __init__(self, file: str):
        self.out = Marked(file, None)
        self.problems: list[Problem] = []

    def walk(self, node: yaml.Node, path: Path) -> Any:
        self.out.values[path] = _span(self.out.file, node)
        if isinstance(node, yaml.MappingNode):
            compose.check_collection(node, self.out.file)
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            compose.check_collection(node, self.out.file)
            return [self.walk(child, path + (i,)) for i, child in enumerate(node.value)]
        self.out.raw[path] = node.value
        if not node.style and node.value.isdigit():  # libyaml reports plain style as "", PyYAML as None
            self.out.plain_digits.add(path)
        return compose.scalar(node, self.out.file)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key = key_text(key_node, self.out.file)
            if key in result:
                first = self.out.keys[path + (key,)]
                self.problems.append(
                    Problem(f"duplicate key '{key}' (first defined at line {first.line})", _span(self.out.file, key_node))
                )
                continue
            self.out.keys[path + (key,)] = _span(self.out.file, key_node)
            result[key] = self.walk(value_node, path + (key,))
        return result


def read_marked(text: str, file: str) -> Marked:
    """Parse one YAML document. Raises InputError for syntax errors, refused tags, limits and duplicate keys."""
    root = compose.compose(text, file)
    walker = _Walker(file)
    if root is None:
        walker.out.data = None
        return walker.out
    walker.out.data = walker.walk(root, ())
    if walker.problems:
        raise InputError(walker.problems)
    return walker.out
