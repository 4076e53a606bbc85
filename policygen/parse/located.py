"""JSON and YAML (with CloudFormation's short-form tags) parsed into values that know where they start.

Findings must point at the offending statement, not at line 1, so every string,
mapping and sequence we hand to the rules carries the 1-based line and column it
started at (`line`, `col`; 0 where a value was made up, not read). Numbers,
booleans and nulls cannot be subclassed; rules take their place from the mapping
that holds them (`LDict.key_lines`, `LDict.key_cols`: where each key starts).
Keys are plain (interned) strings: their places are those two tables', and a
located string costs five times a plain one (a 5,000-account build has a million keys).
Code that rebuilds a tree (substituting, flattening) uses `map_tree`, which keeps
every place. YAML is read by `located_yaml.py`, JSON here.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from sys import intern
from typing import Any, Callable

from policygen.errors import InputError, Problem
from policygen.model.span import Span
from policygen.parse import compose
from policygen.parse.located_yaml import parse_yaml
from policygen.parse.values import LDict, LList, LStr, _str  # noqa: F401 - re-exported

BOM = "\ufeff"


def line_of(value: Any, default: int = 0) -> int:
    return getattr(value, "line", default) or default


def col_of(value: Any, default: int = 0) -> int:
    """The column a located value starts at; `default` for a value that carries none."""
    return getattr(value, "col", default) or default


def position_of(value: Any) -> tuple[int, int]:
    """(line, column) of a located value; (0, 0) for a value that was not read from a file."""
    return line_of(value), col_of(value)


def located_str(value: str, line: int, col: int = 0) -> LStr:
    """A string standing where another value stood (a resolved reference keeps the reference's place)."""
    return _str(value, line, col)


def placed_like(out: LDict | LList, like: Any) -> LDict | LList:
    """`out` (a fresh LDict or LList) given the place of `like`: line, column and, for mappings, the keys' places."""
    out.line, out.col = getattr(like, "line", 0) or 0, getattr(like, "col", 0) or 0  # line_of, col_of: once per copied node
    if isinstance(out, LDict):
        out.key_lines = dict(getattr(like, "key_lines", None) or {})
        out.key_cols = dict(getattr(like, "key_cols", None) or {})
    return out


def shift_lines(value: Any, offset: int) -> Any:
    """A copy of the value with every line moved by offset (values may be shared between Fn::If variants).
    Columns are dropped: a tree read from a string inside a file (a StackSet's TemplateBody, a JSON policy
    string) knows its columns within the string, and the string's indentation in the file is not recorded."""
    if not offset:
        return value
    if isinstance(value, LDict):
        out = LDict({key: shift_lines(item, offset) for key, item in value.items()})
        out.line, out.key_lines = value.line + offset, {key: line + offset for key, line in value.key_lines.items()}
        return out
    if isinstance(value, LList):
        out = LList(shift_lines(item, offset) for item in value)
        out.line = value.line + offset
        return out
    if isinstance(value, LStr):
        out = LStr(value)
        out.line = value.line + offset
        return out
    return value


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
        mapping = LDict()
        for key, item in value.items():
            got = map_tree(item, visit, omit)
            if omit is None or got is not omit:
                mapping[key] = got
        return placed_like(mapping, value)
    if isinstance(value, list):
        sequence = LList()
        for item in value:
            got = map_tree(item, visit, omit)
            if omit is None or got is not omit:
                sequence.append(got)
        return placed_like(sequence, value)
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
            lines, cols = getattr(node, "key_lines", None) or {}, getattr(node, "key_cols", None) or {}
            for key in node:  # a key's place is kept by the mapping that holds it
                col = cols.get(key)
                if lines.get(key) == line and col and (not best or col < best):
                    best = col
            stack.extend((item, level + 1) for item in node.values())
        elif isinstance(node, list):
            stack.extend((item, level + 1) for item in node)
    return best or None


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
            out[intern(key)] = value
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


def parse(text: str, file: str, strings: dict | None = None) -> Any:
    """JSON when the text looks like JSON, YAML otherwise. A byte order mark in front is skipped.

    strings: for a reader of many similar files (a build's templates), a dict it keeps while it reads
    them: a string with the same text, line and column as one read before is that one again. Nothing
    changes a located string once read, and a build's templates repeat most of theirs (at 1,000
    accounts, 147,000 strings in the documents, 34,000 of them different)."""
    stripped = text.lstrip(BOM + " \t\r\n")
    if stripped[:1] and stripped[:1] in "{[":
        return parse_json(text, file)
    return parse_yaml(text, file, strings=strings)
