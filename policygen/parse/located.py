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
from typing import Any

import yaml

from policygen.errors import InputError, Problem
from policygen.model.span import Span


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
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_SCALARS = yaml.constructor.SafeConstructor()


class _DuplicateKey(Exception):
    """Raised deep in the walk, where the file name is not known; parse_yaml locates it."""

    def __init__(self, message: str, mark):
        super().__init__(message)
        self.message, self.mark = message, mark


def _yaml_value(node: yaml.Node) -> Any:
    line = node.start_mark.line + 1
    tag = node.tag or ""
    if tag.startswith("!") and not tag.startswith("!!"):
        return _short_form(tag[1:], node, line)
    if isinstance(node, yaml.MappingNode):
        out = LDict()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            # Keys are names as written: CloudFormation reads an unquoted `Null:` (a condition
            # operator) as the text "Null", where YAML 1.1 would make it a null.
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            if key in out:
                raise _DuplicateKey(f"duplicate key '{key}' (first at line {out.key_lines[key]})", key_node.start_mark)
            out.key_lines[key] = key_node.start_mark.line + 1
            out[_str(key, out.key_lines[key])] = _yaml_value(value_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LList(_yaml_value(child) for child in node.value)
        out.line = line
        return out
    value = _SCALARS.construct_object(node)
    if isinstance(value, str):
        return _str(value, line)
    if hasattr(value, "isoformat"):  # an unquoted date; policies want the text
        return _str(node.value, line)
    return value


def _short_form(name: str, node: yaml.Node, line: int) -> LDict:
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
        inner = _yaml_value(plain)
    out = LDict({"Ref" if name == "Ref" else f"Fn::{name}": inner})
    out.line, out.key_lines = line, {}
    return out


def parse_yaml(text: str, file: str) -> Any:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        span = Span(file, mark.line + 1, mark.column + 1) if mark else Span(file, 1, 1)
        raise InputError(Problem(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", span)) from None
    if node is None:
        return None
    try:
        return _yaml_value(node)
    except _DuplicateKey as exc:
        raise InputError(Problem(exc.message, Span(file, exc.mark.line + 1, exc.mark.column + 1))) from None


# JSON -----------------------------------------------------------------------------
class _LocatingDecoder(json.JSONDecoder):
    """The standard decoder, with each parsed value tagged with the line it starts on."""

    def __init__(self, text: str):
        super().__init__()
        self._newlines = [i for i, ch in enumerate(text) if ch == "\n"]
        self.parse_object = self._object
        self.parse_array = self._array
        self.scan_once = json.scanner.py_make_scanner(self)

    def _line(self, index: int) -> int:
        return bisect.bisect_left(self._newlines, index) + 1

    def _located(self, scan):
        def scan_once(text, index):
            value, end = scan(text, index)
            return self._tag(value, index), end

        return scan_once

    def _tag(self, value: Any, index: int) -> Any:
        if isinstance(value, str) and not isinstance(value, LStr):
            return _str(value, self._line(index))
        if isinstance(value, (LDict, LList)):
            value.line = self._line(index)
        return value

    def _object(self, s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None, _w=None):
        start = s_and_end[1] - 1
        pairs, end = json.decoder.JSONObject(s_and_end, strict, self._located(scan_once), None, lambda p: p, memo)
        out = LDict()
        out.line, out.key_lines = self._line(start), {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f"duplicate key '{key}'", line_of(value, out.line))
            out.key_lines[key] = line_of(value, out.line)
            out[_str(key, out.key_lines[key])] = value
        return out, end

    def _array(self, s_and_end, scan_once, _w=None):
        start = s_and_end[1] - 1
        values, end = json.decoder.JSONArray(s_and_end, self._located(scan_once))
        out = LList(values)
        out.line = self._line(start)
        return out, end


def parse_json(text: str, file: str) -> Any:
    decoder = _LocatingDecoder(text)
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(Problem(f"not valid JSON: {exc.msg}", Span(file, exc.lineno, exc.colno))) from None
    except ValueError as exc:
        message, line = exc.args if len(exc.args) == 2 else (str(exc), 1)
        raise InputError(Problem(message, Span(file, line, 1))) from None


def parse(text: str, file: str) -> Any:
    """JSON when the text looks like JSON, YAML otherwise."""
    stripped = text.lstrip()
    if stripped[:1] and stripped[:1] in "{[":
        return parse_json(text, file)
    return parse_yaml(text, file)
