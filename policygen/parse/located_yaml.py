"""YAML (with CloudFormation's short-form tags) read into located values (`values.py`).

Two ways, one result. A document without anchors or aliases (every template policygen writes, and
nearly every one written by hand) is composed straight into located values: one pass over libyaml's
events, with the limits of `compose.py` checked as they come. A document with anchors goes through
`compose.py`'s node graph, where an alias is a shared node whose expanded size is known, and is then
walked into located values (`_node_value`).

The one pass must say exactly what the graph and its walk say, values, places and errors alike:

- the composer's checks (syntax, limits, a second document) stop the pass where they stop the composer;
- the walk's checks (refused tags, values that miss their tag, keys that are not plain, duplicate keys)
  would only run on a fully composed document, so the pass notes the first one it meets and raises it
  once the document has composed. The walk visits a mapping, then each key and its value, in the
  order they are written: the order of the events, so the first problem noted is the one it raises.
"""

from __future__ import annotations

from functools import partial
from sys import intern
from typing import Any

import yaml

from policygen.errors import InputError, Problem
from policygen.parse import compose
from policygen.parse.compose import MAP, SEQ, STR, VALUE, span_of
from policygen.parse.values import LDict, LList, LStr, _str

SAFE_KEY_TAGS = (compose.STR, compose.NULL, compose.BOOL, compose.INT, compose.FLOAT, compose.TIMESTAMP, compose.VALUE)


def parse_yaml(text: str, file: str, limits: compose.Limits = compose.LIMITS, strings: dict | None = None) -> Any:
    """strings: located strings already read, by (text, line, column), to hand out again where another file
    has the same text at the same place (see `located.parse`)."""
    try:
        return compose.read_events(text, file, limits, partial(_Direct, strings=strings))
    except _Anchored:
        node = compose.compose(text, file, limits)
        return None if node is None else _node_value(node, file)


def key_text(node: yaml.Node, file: str) -> str:
    """A mapping key as written: CloudFormation reads an unquoted `Null:` (a condition operator) as
    the text "Null", where YAML 1.1 would make it a null. Shared with the org-file reader."""
    if not isinstance(node, yaml.ScalarNode):
        raise _complex_key(node.start_mark, file)
    if not _plain_key(node.tag):
        raise compose.refused_tag(node, file)
    return node.value


def _complex_key(mark, file: str) -> InputError:
    return InputError(Problem("mapping keys must be plain names, not a mapping or a list", span_of(file, mark)))


def _plain_key(tag: str) -> bool:
    return tag != compose.MERGE and (tag in SAFE_KEY_TAGS or _local(tag))


def _duplicate(key: str, first_line: int, mark, file: str) -> InputError:
    return InputError(Problem(f"duplicate key '{key}' (first at line {first_line})", span_of(file, mark)))


def _local(tag: str) -> bool:
    return tag.startswith("!") and not tag.startswith("!!")


def _mark(mark) -> tuple[int, int]:
    """A YAML mark (0-based) as the 1-based line and column it names."""
    return mark.line + 1, mark.column + 1


def _short_scalar(name: str, text: str, at: tuple[int, int]) -> LDict:
    """!Ref X -> {"Ref": X}; !GetAtt A.B -> {"Fn::GetAtt": [A, B]}; !Sub s -> {"Fn::Sub": s}.

    The mapping and a scalar's parts stand where the tag does: that is where the reader wrote them."""
    inner: Any = _str(text, *at)
    if name == "GetAtt":
        resource, _, attribute = text.partition(".")
        inner = LList([_str(resource, *at), _str(attribute, *at)])
        inner.line, inner.col = at
    return _short(name, inner, at)


def _short(name: str, inner: Any, at: tuple[int, int]) -> LDict:
    """A short form's value as the long form: a mapping of one key (`Ref` or `Fn::<name>`), at the tag's place."""
    out = LDict({"Ref" if name == "Ref" else f"Fn::{name}": inner})
    out.line, out.col, out.key_lines, out.key_cols = *at, {}, {}
    return out


def _plain_value(node: yaml.ScalarNode, file: str, at: tuple[int, int]) -> Any:
    value = compose.scalar(node, file)
    if isinstance(value, str):
        return _str(value, *at)
    if hasattr(value, "isoformat"):  # a date; policies want the text
        return _str(node.value, *at)
    return value


# The node graph's walk (documents with anchors) -------------------------------------------------
def _node_value(node: yaml.Node, file: str) -> Any:
    line, col = _mark(node.start_mark)
    tag = node.tag or ""
    if _local(tag):
        return _short_node(tag[1:], node, (line, col), file)
    if isinstance(node, yaml.MappingNode):
        compose.check_collection(node, file)
        out = LDict()
        out.line, out.col, out.key_lines, out.key_cols = line, col, {}, {}
        for key_node, value_node in node.value:
            key = key_text(key_node, file)
            if key in out:
                raise _duplicate(key, out.key_lines[key], key_node.start_mark, file)
            out.key_lines[key], out.key_cols[key] = _mark(key_node.start_mark)
            out[intern(key)] = _node_value(value_node, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        compose.check_collection(node, file)
        out = LList(_node_value(child, file) for child in node.value)
        out.line, out.col = line, col
        return out
    return _plain_value(node, file, (line, col))


def _short_node(name: str, node: yaml.Node, at: tuple[int, int], file: str) -> LDict:
    if isinstance(node, yaml.ScalarNode):
        return _short_scalar(name, node.value, at)
    plain = yaml.MappingNode(MAP, node.value) if isinstance(node, yaml.MappingNode) else yaml.SequenceNode(SEQ, node.value)
    plain.start_mark = node.start_mark
    plain.size, plain.height = node.size, node.height
    return _short(name, _node_value(plain, file), at)


# One pass over the events (documents without anchors) -------------------------------------------
class _Anchored(Exception):
    """The document has an anchor or an alias: it is read through the node graph instead."""


class _Open:
    """A mapping or sequence being read. A mapping's items come key, value, key, value: `count` says
    which one is next, `key` holds the key its value goes under (None once the key was refused)."""

    __slots__ = ("value", "mapping", "count", "key", "mark", "short", "is_key")

    def __init__(self, value, mapping: bool, mark, short: str | None, is_key: bool):
        self.value, self.mapping, self.count, self.key = value, mapping, 0, None
        self.mark, self.short, self.is_key = mark, short, is_key


class _Direct:
    """`compose._Composer`'s checks in its order, building located values instead of nodes."""

    def __init__(self, file: str, limits: compose.Limits, strings: dict | None = None):
        self.file, self.limits, self.strings = file, limits, strings
        self.problem: InputError | None = None  # the first problem the walk would raise
        self.resolver = yaml.resolver.Resolver()
        implicit = self.resolver.yaml_implicit_resolvers
        # Plain scalars resolve by their first character's patterns: most (names, ARNs) have none to try.
        self.starts = None if None in implicit else frozenset(implicit)
        self.resolved: dict[str, str] = {}  # plain scalar text -> its tag, for this document

    def note(self, problem: InputError) -> None:
        if self.problem is None:
            self.problem = problem

    def run(self, loader) -> Any:
        """The document's located value (None when empty). Written as one loop over the events, with
        the limits inline: it runs once per value of every file read."""
        file, limits = self.file, self.limits
        depth, nodes, keys, chars = limits.depth, limits.nodes, 2 * limits.keys, limits.scalar_chars
        stack: list[_Open] = []
        root, total, documents = None, 0, 0
        scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        starts, strings = self.starts, self.strings
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is scalar_event:
                if event.anchor is not None:
                    raise _Anchored
                text = event.value
                if len(text) > chars:
                    raise compose.too_long(limits, span_of(file, event.start_mark))
                if len(stack) + 1 > depth:
                    raise compose.too_deep(limits, span_of(file, event.start_mark))
                total += 1
                if total > nodes:
                    raise compose.too_many_values(limits, span_of(file, event.start_mark))
                tag = event.tag
                if tag is None or tag == "!":  # most scalars: a quoted one, or plain text no implicit pattern starts with
                    tag = STR if not event.implicit[0] or (starts is not None and text[:1] not in starts) else self.resolve(text)
                top = stack[-1] if stack else None
                if top is not None and top.mapping:
                    top.count += 1
                    if top.count > keys:
                        raise compose.too_many_keys(limits, span_of(file, event.start_mark))
                    if top.count & 1:
                        self.key(top, tag, event)
                        continue
                if tag == STR:
                    mark = event.start_mark
                    if strings is None:
                        value = LStr(text)
                        value.line, value.col = mark.line + 1, mark.column + 1
                    else:
                        place = (text, mark.line, mark.column)
                        value = strings.get(place)
                        if value is None:
                            value = strings[place] = _str(text, mark.line + 1, mark.column + 1)
                else:
                    value = self.scalar(tag, event)
                if top is None:
                    root = value
                elif not top.mapping:
                    top.value.append(value)
                elif top.key is not None:
                    top.value[top.key] = value
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None:
                    raise _Anchored
                if len(stack) + 1 > depth:
                    raise compose.too_deep(limits, span_of(file, event.start_mark))
                stack.append(self.open(event, kind is mapping_start, stack[-1] if stack else None))
            elif kind in ends:
                done = stack.pop()
                total += 1
                if total > nodes:
                    raise compose.too_many_values(limits, span_of(file, done.mark))
                value = self.close(done)
                if not stack:
                    root = value
                    continue
                top = stack[-1]
                top.count += 1
                if not top.mapping:
                    top.value.append(value)
                    continue
                if top.count > keys:
                    raise compose.too_many_keys(limits, span_of(file, done.mark))
                if top.count & 1:
                    top.key = None  # refused when it opened
                elif top.key is not None:
                    top.value[top.key] = value
            elif kind is yaml.AliasEvent:
                raise _Anchored
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise compose.another_document(span_of(file, event.start_mark))
            elif event is None or kind is yaml.StreamEndEvent:
                break
        if self.problem is not None:
            raise self.problem
        return root

    def resolve(self, text: str) -> str:
        """The tag of an untagged plain scalar, as PyYAML's resolver gives it. Without path resolvers
        the answer depends on the text alone (a quoted scalar is a string: `run` does not ask)."""
        tag = self.resolved.get(text)
        if tag is None:
            tag = self.resolved[text] = self.resolver.resolve(yaml.ScalarNode, text, (True, False))
        return tag

    def scalar(self, tag: str, event) -> Any:
        """A scalar's located value; None (never seen) when the walk would refuse it."""
        mark = event.start_mark
        at = (mark.line + 1, mark.column + 1)
        if tag == STR or tag == VALUE:
            out = LStr(event.value)
            out.line, out.col = at
            return out
        if _local(tag):
            return _short_scalar(tag[1:], event.value, at)
        try:
            return _plain_value(yaml.ScalarNode(tag, event.value, mark, event.end_mark, style=event.style), self.file, at)
        except InputError as problem:
            self.note(problem)
            return None

    def key(self, top: _Open, tag: str, event) -> None:
        """A scalar key: its text goes under the mapping's keys, with its place; a refused or repeated key is noted."""
        top.key = None
        mark = event.start_mark
        if not _plain_key(tag):
            self.note(compose.refused_tag(yaml.ScalarNode(tag, event.value, mark), self.file))
            return
        text, mapping = event.value, top.value
        if text in mapping:
            self.note(_duplicate(text, mapping.key_lines[text], mark, self.file))
            return
        mapping.key_lines[text], mapping.key_cols[text] = mark.line + 1, mark.column + 1
        top.key = intern(text)

    def open(self, event, mapping: bool, parent: _Open | None) -> _Open:
        mark = event.start_mark
        tag = event.tag  # None or "!": the resolver's map or seq, the tag expected (it has no path resolvers)
        is_key = parent is not None and parent.mapping and not parent.count & 1
        short = None
        if is_key:
            self.note(_complex_key(mark, self.file))
        elif tag is not None and tag != "!":
            if _local(tag):
                short = tag[1:]
            elif tag != (MAP if mapping else SEQ):
                self.note(compose.refused_tag((yaml.MappingNode if mapping else yaml.SequenceNode)(tag, [], mark), self.file))
        if mapping:
            value = LDict()
            value.key_lines, value.key_cols = {}, {}
        else:
            value = LList()
        value.line, value.col = mark.line + 1, mark.column + 1
        return _Open(value, mapping, mark, short, is_key)

    @staticmethod
    def close(done: _Open) -> Any:
        value = done.value
        return value if done.short is None else _short(done.short, value, (value.line, value.col))
