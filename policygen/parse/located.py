"""JSON and YAML (with CloudFormation's short-form tags) parsed into values that know their line.

Findings must point at the offending statement, not at line 1, so every string,
mapping and sequence we hand to the rules carries the line it started on.
Numbers, booleans and nulls cannot be subclassed; rules take their line from the
mapping that holds them (`LDict.key_lines`).
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from typing import Any

import yaml

from policygen.errors import InputError, Problem
from policygen.model.span import Span
from policygen.parse import compose

BOM = "\ufeff"


class LStr(str):
    line: int = 0


class LDict(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LList(list):
    line: int = 0


def line_of(value: Any, default: int = 0) -> int:
    return getattr(value, "line", default) or default


def _str(value: str, line: int) -> LStr:
    out = LStr(value)
    out.line = line
    return out


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


def _yaml_value(node: yaml.Node, file: str) -> Any:
    line = node.start_mark.line + 1
    tag = node.tag or ""
    if _local(tag):
        return _short_form(tag[1:], node, line, file)
    if isinstance(node, yaml.MappingNode):
        compose.check_collection(node, file)
        out = LDict()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            key = key_text(key_node, file)
            if key in out:
                raise InputError(Problem(f"duplicate key '{key}' (first at line {out.key_lines[key]})",
                                         compose.span_of(file, key_node.start_mark)))
            out.key_lines[key] = key_node.start_mark.line + 1
            out[_str(key, out.key_lines[key])] = _yaml_value(value_node, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        compose.check_collection(node, file)
        out = LList(_yaml_value(child, file) for child in node.value)
        out.line = line
        return out
    value = compose.scalar(node, file)
    if isinstance(value, str):
        return _str(value, line)
    if hasattr(value, "isoformat"):  # a date; policies want the text
        return _str(node.value, line)
    return value


def _short_form(name: str, node: yaml.Node, line: int, file: str) -> LDict:
    """!Ref X -> {"Ref": X}; !GetAtt A.B -> {"Fn::GetAtt": [A, B]}; !Sub s -> {"Fn::Sub": s}."""
    if isinstance(node, yaml.ScalarNode):
        inner: Any = _str(node.value, line)
        if name == "GetAtt":
            resource, _, attribute = node.value.partition(".")
            inner = LList([_str(resource, line), _str(attribute, line)])
            inner.line = line
    else:
        plain = yaml.MappingNode("tag:yaml.org,2002:map", node.value) if isinstance(node, yaml.MappingNode) else yaml.SequenceNode("tag:yaml.org,2002:seq", node.value)
        plain.start_mark = node.start_mark
        plain.size, plain.height = node.size, node.height
        inner = _yaml_value(plain, file)
    out = LDict({"Ref" if name == "Ref" else f"Fn::{name}": inner})
    out.line, out.key_lines = line, {}
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
    """The standard decoder, with each parsed value tagged with the line it starts on.

    The decoder recurses once per level (about five frames), so depth is counted on the way
    in and refused at the limit, long before Python's recursion limit.
    """

    def __init__(self, text: str, limits: compose.Limits):
        super().__init__(parse_int=self._int)
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

    def _int(self, digits: str) -> int:
        if len(digits.lstrip("-")) > self.limits.int_digits:
            raise _Limit(f"an integer with more than {self.limits.int_digits} digits (the limit)")
        return int(digits)

    def _located(self, scan):
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
            return self._tag(value, index), end

        return scan_once

    def _tag(self, value: Any, index: int) -> Any:
        if isinstance(value, str) and not isinstance(value, LStr):
            if len(value) > self.limits.scalar_chars:
                raise _Limit(f"a value longer than {self.limits.scalar_chars:,} characters (the limit)", index)
            return _str(value, self.line(index))
        if isinstance(value, (LDict, LList)):
            value.line = self.line(index)
        return value

    def _enter(self, start: int) -> None:
        self.depth += 1
        if self.depth > self.limits.depth:
            raise _Limit(f"nesting deeper than {self.limits.depth} levels (the limit)", start)

    def _object(self, s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None, _w=None):
        start = s_and_end[1] - 1
        self._enter(start)
        pairs, end = json.decoder.JSONObject(s_and_end, strict, self._located(scan_once), None, lambda p: p, memo)
        self.depth -= 1
        if len(pairs) > self.limits.keys:
            raise _Limit(f"more than {self.limits.keys:,} keys in one mapping (the limit)", start)
        out = LDict()
        out.line, out.key_lines = self.line(start), {}
        for key, value in pairs:
            if key in out:
                raise _Limit(f"duplicate key '{key}'", start)
            out.key_lines[key] = line_of(value, out.line)
            out[_str(key, out.key_lines[key])] = value
        return out, end

    def _array(self, s_and_end, scan_once, _w=None):
        start = s_and_end[1] - 1
        self._enter(start)
        values, end = json.decoder.JSONArray(s_and_end, self._located(scan_once))
        self.depth -= 1
        out = LList(values)
        out.line = self.line(start)
        return out, end


def parse_json(text: str, file: str, limits: compose.Limits = compose.LIMITS) -> Any:
    if text.startswith(BOM):  # a byte order mark in front is harmless; keep the columns as written
        text = " " + text[1:]
    decoder = _LocatingDecoder(text, limits)
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
