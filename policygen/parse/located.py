"""JSON and YAML (with CloudFormation's short-form tags) parsed into values that know where they start.

Findings must point at the offending statement, not at line 1, so every string,
mapping and sequence we hand to the rules carries the 1-based line and column it
started at (`line`, `col`; 0 where a value was made up, not read). Numbers,
booleans and nulls cannot be subclassed; rules take their place from the mapping
that holds them (`LDict.key_lines`, `LDict.key_cols`: where each key starts).
Code that rebuilds a tree (substituting, flattening) uses `map_tree`, which keeps
every place.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from typing import Any, Callable

import yaml

from policygen.errors import InputError, Problem
from policygen.model.span import Span
from policygen.parse import compose

BOM = "\ufeff"


class LStr(str):
    line: int = 0
    col: int = 0


class LDict(dict):
    line: int = 0
    col: int = 0
    key_lines: dict
    key_cols: dict  # may be absent on a mapping built by hand: its keys' columns are then unknown

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def col_of(self, key: str) -> int:
        """The key's column; the mapping's own where the key is absent (as `line_of`), 0 when unknown."""
        cols = getattr(self, "key_cols", None) or {}
        if key in cols:
            return cols[key]
        return 0 if key in self.key_lines else self.col  # a line without its column stays without one

    def position_of(self, key: str) -> tuple[int, int]:
        return self.line_of(key), self.col_of(key)


class LList(list):
    line: int = 0
    col: int = 0


def line_of(value: Any, default: int = 0) -> int:
    return getattr(value, "line", default) or default


def col_of(value: Any, default: int = 0) -> int:
    """The column a located value starts at; `default` for a value that carries none."""
    return getattr(value, "col", default) or default


def position_of(value: Any) -> tuple[int, int]:
    """(line, column) of a located value; (0, 0) for a value that was not read from a file."""
    return line_of(value), col_of(value)


def _str(value: str, line: int, col: int = 0) -> LStr:
    out = LStr(value)
    out.line, out.col = line, col
    return out


def located_str(value: str, line: int, col: int = 0) -> LStr:
    """A string standing where another value stood (a resolved reference keeps the reference's place)."""
    return _str(value, line, col)


def placed_like(out: LDict | LList, like: Any) -> LDict | LList:
    """`out` (a fresh LDict or LList) given the place of `like`: line, column and, for mappings, the keys' places."""
    out.line, out.col = line_of(like), col_of(like)
    if isinstance(out, LDict):
        out.key_lines = dict(getattr(like, "key_lines", None) or {})
        out.key_cols = dict(getattr(like, "key_cols", None) or {})
    return out


KEEP = object()  # from a map_tree visitor: nothing to replace here, go on into the value


def map_tree(value: Any, visit: Callable[[Any], Any], omit: object = None) -> Any:
    """A copy of the tree with `visit(node)` put in place of each node it answers (anything but KEEP).

    Mappings and sequences are rebuilt with their places (`placed_like`) and keep their keys as
    read; children whose new value `is omit` are left out (CloudFormation's AWS::NoValue), when
    `omit` is given. Scalars the visitor keeps are returned as they are.
    """
    got = visit(value)
    if got is not KEEP:
        return got
    if isinstance(value, dict):
        items = ((key, map_tree(item, visit, omit)) for key, item in value.items())
        return placed_like(LDict((k, v) for k, v in items if omit is None or v is not omit), value)
    if isinstance(value, list):
        items = (map_tree(item, visit, omit) for item in value)
        return placed_like(LList(v for v in items if omit is None or v is not omit), value)
    return value


def column_at(value: Any, line: int, depth: int | None = None) -> int | None:
    """The leftmost column on `line` at which a located part of `value` starts: the value itself, a key,
    or a value below it (`depth` levels at most). None when nothing located starts on that line.

    For a finding that knows only its line: the column of the first thing written there."""
    best = 0
    stack = [(value, 0)]
    while stack:
        node, level = stack.pop()
        at, col = position_of(node)
        if at == line and col and (not best or col < best):
            best = col
        if (depth is not None and level >= depth) or at > line:  # what is below starts no earlier
            continue
        if isinstance(node, dict):
            stack.extend((key, level + 1) for key in node)
            stack.extend((item, level + 1) for item in node.values())
        elif isinstance(node, list):
            stack.extend((item, level + 1) for item in node)
    return best or None


# YAML -----------------------------------------------------------------------------
SAFE_KEY_TAGS = (compose.STR, compose.NULL, compose.BOOL, compose.INT, compose.FLOAT, compose.TIMESTAMP, compose.VALUE)


def key_text(node: yaml.Node, file: str) -> str:
    """A mapping key as written: CloudFormation reads an unquoted `Null:` (a condition operator) as
    the text "Null", where YAML 1.1 would make it a null. Shared with the org-file reader."""
    if not isinstance(node, yaml.ScalarNode):
        raise InputError(Problem("mapping keys must be plain names, not a mapping or a list", compose.span_of(file, node.start_mark)))
    if node.tag == compose.MERGE or not (node.tag in SAFE_KEY_TAGS or _local(node.tag)):
        raise compose.refused_tag(node, file)
    return node.value


def _local(tag: str) -> bool:
    return tag.startswith("!") and not tag.startswith("!!")


def _mark(mark) -> tuple[int, int]:
    """A YAML mark (0-based) as the 1-based line and column it names."""
    return mark.line + 1, mark.column + 1


def _yaml_value(node: yaml.Node, file: str) -> Any:
    line, col = _mark(node.start_mark)
    tag = node.tag or ""
    if _local(tag):
        return _short_form(tag[1:], node, (line, col), file)
    if isinstance(node, yaml.MappingNode):
        compose.check_collection(node, file)
        out = LDict()
        out.line, out.col, out.key_lines, out.key_cols = line, col, {}, {}
        for key_node, value_node in node.value:
            key = key_text(key_node, file)
            if key in out:
                raise InputError(Problem(f"duplicate key '{key}' (first at line {out.key_lines[key]})",
                                         compose.span_of(file, key_node.start_mark)))
            out.key_lines[key], out.key_cols[key] = _mark(key_node.start_mark)
            out[_str(key, *_mark(key_node.start_mark))] = _yaml_value(value_node, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        compose.check_collection(node, file)
        out = LList(_yaml_value(child, file) for child in node.value)
        out.line, out.col = line, col
        return out
    value = compose.scalar(node, file)
    if isinstance(value, str):
        return _str(value, line, col)
    if hasattr(value, "isoformat"):  # a date; policies want the text
        return _str(node.value, line, col)
    return value


def _short_form(name: str, node: yaml.Node, at: tuple[int, int], file: str) -> LDict:
    """!Ref X -> {"Ref": X}; !GetAtt A.B -> {"Fn::GetAtt": [A, B]}; !Sub s -> {"Fn::Sub": s}.

    The mapping and a scalar's parts stand where the tag does: that is where the reader wrote them."""
    if isinstance(node, yaml.ScalarNode):
        inner: Any = _str(node.value, *at)
        if name == "GetAtt":
            resource, _, attribute = node.value.partition(".")
            inner = LList([_str(resource, *at), _str(attribute, *at)])
            inner.line, inner.col = at
    else:
        plain = yaml.MappingNode("tag:yaml.org,2002:map", node.value) if isinstance(node, yaml.MappingNode) else yaml.SequenceNode("tag:yaml.org,2002:seq", node.value)
        plain.start_mark = node.start_mark
        plain.size, plain.height = node.size, node.height
        inner = _yaml_value(plain, file)
    out = LDict({"Ref" if name == "Ref" else f"Fn::{name}": inner})
    out.line, out.col, out.key_lines, out.key_cols = *at, {}, {}
    return out


def parse_yaml(text: str, file: str) -> Any:
    node = compose.compose(text, file)
    return None if node is None else _yaml_value(node, file)


# JSON -----------------------------------------------------------------------------
class _Limit(Exception):
    """A limit crossed deep in the decoder; parse_json locates it."""

    def __init__(self, message: str, index: int | None = None):
        super().__init__(message)
        self.message, self.index = message, index


class _LocatingDecoder(json.JSONDecoder):
    """The standard decoder, with each parsed value and key tagged with the line and column it starts at.

    The decoder recurses once per level (about five frames), so depth is counted on the way
    in and refused at the limit, long before Python's recursion limit.
    """

    def __init__(self, text: str, limits: compose.Limits):
        super().__init__(parse_int=self._int)
        self._text = text
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self.limits, self.depth, self.nodes = limits, 0, 0
        self.parse_object = self._object
        self.parse_array = self._array
        self.scan_once = json.scanner.py_make_scanner(self)

    def line(self, index: int) -> int:
        return bisect.bisect_left(self._newlines, index) + 1

    def column(self, index: int) -> int:
        line = self.line(index)
        return index - (self._newlines[line - 2] if line > 1 else -1)

    def position(self, index: int) -> tuple[int, int]:
        return self.line(index), self.column(index)

    def _int(self, digits: str) -> int:
        if len(digits.lstrip("-")) > self.limits.int_digits:
            raise _Limit(f"an integer with more than {self.limits.int_digits} digits (the limit)")
        return int(digits)

    def _located(self, scan, starts: list[int] | None = None):
        """`scan` with each value it returns tagged; `starts` collects where the values began, in order."""
        def scan_once(text, index):
            self.nodes += 1
            if self.nodes > self.limits.nodes:
                raise _Limit(f"more than {self.limits.nodes:,} values in one file (the limit)", index)
            try:
                value, end = scan(text, index)
            except _Limit as exc:
                if exc.index is None:
                    exc.index = index
                raise
            if starts is not None:
                starts.append(index)
            return self._tag(value, index), end

        return scan_once

    def _tag(self, value: Any, index: int) -> Any:
        if isinstance(value, str) and not isinstance(value, LStr):
            if len(value) > self.limits.scalar_chars:
                raise _Limit(f"a value longer than {self.limits.scalar_chars:,} characters (the limit)", index)
            return _str(value, *self.position(index))
        if isinstance(value, (LDict, LList)):
            value.line, value.col = self.position(index)
        return value

    def _enter(self, start: int) -> None:
        self.depth += 1
        if self.depth > self.limits.depth:
            raise _Limit(f"nesting deeper than {self.limits.depth} levels (the limit)", start)

    def _key_start(self, value_start: int) -> int:
        """Where the key before a value opens its quote. The decoder reports values, not keys, so walk back
        over `"key" :`; a quote inside a key is escaped by an odd run of backslashes, the opening one is not."""
        text = self._text
        end = text.rindex(":", 0, value_start)
        quote = text.rindex('"', 0, end)  # the key's closing quote
        while True:
            quote = text.rindex('"', 0, quote)
            before = quote
            while text[before - 1] == "\\":
                before -= 1
            if (quote - before) % 2 == 0:
                return quote

    def _object(self, s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None, _w=None):
        start = s_and_end[1] - 1
        self._enter(start)
        starts: list[int] = []
        pairs, end = json.decoder.JSONObject(s_and_end, strict, self._located(scan_once, starts), None, lambda p: p, memo)
        self.depth -= 1
        if len(pairs) > self.limits.keys:
            raise _Limit(f"more than {self.limits.keys:,} keys in one mapping (the limit)", start)
        out = LDict()
        (out.line, out.col), out.key_lines, out.key_cols = self.position(start), {}, {}
        for (key, value), value_start in zip(pairs, starts):
            if key in out:
                raise _Limit(f"duplicate key '{key}'", start)
            out.key_lines[key], out.key_cols[key] = self.position(self._key_start(value_start))
            out[_str(key, out.key_lines[key], out.key_cols[key])] = value
        return out, end

    def _array(self, s_and_end, scan_once, _w=None):
        start = s_and_end[1] - 1
        self._enter(start)
        values, end = json.decoder.JSONArray(s_and_end, self._located(scan_once))
        self.depth -= 1
        out = LList(values)
        out.line, out.col = self.position(start)
        return out, end


def parse_json(text: str, file: str, limits: compose.Limits = compose.LIMITS) -> Any:
    if text.startswith(BOM):  # a byte order mark in front is harmless; keep the columns as written
        text = " " + text[1:]
    decoder = _LocatingDecoder(text, limits.for_text(text))
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(Problem(f"not valid JSON: {exc.msg}", Span(file, exc.lineno, exc.colno))) from None
    except _Limit as exc:
        index = exc.index or 0
        raise InputError(Problem(exc.message, Span(file, decoder.line(index), decoder.column(index)))) from None


def parse(text: str, file: str) -> Any:
    """JSON when the text looks like JSON, YAML otherwise. A byte order mark in front is skipped."""
    stripped = text.lstrip(BOM + " \t\r\n")
    if stripped[:1] and stripped[:1] in "{[":
        return parse_json(text, file)
    return parse_yaml(text, file)
