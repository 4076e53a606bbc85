"""YAML to plain Python values, remembering where every key and value stood.

PyYAML's constructors drop positions and silently let a later duplicate key win,
so we compose the node graph ourselves and walk it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from policygen.errors import InputError, Problem
from policygen.model.span import Span

try:  # libyaml's composer is several times faster; fall back when it is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

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
    mark = node.start_mark
    return Span(file, mark.line + 1, mark.column + 1)


class _Walker:
    def __init__(self, file: str):
        self.out = Marked(file, None)
        self.constructor = yaml.constructor.SafeConstructor()
        self.problems: list[Problem] = []

    def walk(self, node: yaml.Node, path: Path) -> Any:
        self.out.values[path] = _span(self.out.file, node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(child, path + (i,)) for i, child in enumerate(node.value)]
        self.out.raw[path] = node.value
        if not node.style and node.value.isdigit():  # libyaml reports plain style as "", PyYAML as None
            self.out.plain_digits.add(path)
        return self.constructor.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem("mapping keys must be plain names", _span(self.out.file, key_node)))
                continue
            key = key_node.value
            if key == "<<":
                self.problems.append(
                    Problem("YAML merge keys ('<<') are not supported; write the keys out", _span(self.out.file, key_node))
                )
                continue
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
    """Parse one YAML document. Raises InputError for syntax errors and duplicate keys."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(file, mark.line + 1, mark.column + 1) if mark else Span(file, 1, 1)
        raise InputError(Problem(f"YAML syntax error: {exc.problem or exc.context}", span)) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(f"YAML error: {exc}", Span(file, 1, 1))) from None
    walker = _Walker(file)
    if root is None:
        walker.out.data = None
        return walker.out
    try:
        walker.out.data = walker.walk(root, ())
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise InputError(Problem(f"YAML error: {exc.problem}", Span(file, mark.line + 1, mark.column + 1))) from None
    if walker.problems:
        raise InputError(walker.problems)
    return walker.out
