"""The one YAML composer behind both readers (`located` for lint inputs, `marked` for org files).

PyYAML's composer trusts its input: aliases are shared nodes that a later walk
expands without bound (a "billion laughs" file of a few hundred bytes becomes
gigabytes), an alias may point into its own anchor (a cycle that a walk follows
forever), nesting is limited only by Python's stack, and constructors accept any
tag they know. This composer reads libyaml's event stream itself, without
recursion, and stops at the first limit an input crosses, with a located message
that names the limit:

- nesting depth, counted after alias expansion;
- nodes in the document after alias expansion (billion laughs fail here, at
  composition, before anything is expanded);
- keys in one mapping, aliases in one file, characters in one scalar;
- digits of an integer (Python refuses to convert more than 4,300 anyway).

Scalars are constructed by `scalar()`, which knows only YAML's plain types:
strings, null, booleans, integers, floats and timestamps. Every other tag
(`!!python/*`, `!!binary`, `!!set`, `!!omap`, `!!merge` and merge keys `<<`) and
every value that does not fit its tag (`!!int abc`, `!!bool maybe`) is a located
InputError. Local tags (`!Ref`, `!Sub`) are left to the reader: templates expand
them, organization files refuse them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import yaml

from policygen.errors import InputError, Problem
from policygen.model.span import Span

try:  # libyaml's parser is several times faster; fall back when PyYAML was built without it
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

STR, NULL, BOOL, INT, FLOAT = (f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float"))
TIMESTAMP, MAP, SEQ = "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
VALUE = "tag:yaml.org,2002:value"  # a plain `=`: YAML 1.1's "default value" marker; read as the text "="
MERGE = "tag:yaml.org,2002:merge"


@dataclass(frozen=True)
class Limits:
    """What one input file may contain. The same limits apply to org files, templates and policies.

    Far above anything real: the reference organization has 4 KB, 6 levels and about
    600 nodes; its largest template 27 KB, 14 levels and about 2,500 nodes. AWS itself
    caps a template body at 1 MB and a policy at 10 KB. 100,000 nodes compose and walk
    in about a second on a loaded 2-core machine.

    `nodes` is a floor: a file may hold as many values as it has characters (every value
    takes at least one), so a 5,000-account organization file (3 MB, about a million
    values) reads, while aliases that expand a small file past both are refused.
    """

    file_bytes: int = 8 * 1024 * 1024
    depth: int = 100
    nodes: int = 100_000
    keys: int = 10_000
    aliases: int = 1_000
    scalar_chars: int = 1_000_000
    int_digits: int = 100

    def for_text(self, text: str) -> "Limits":
        """These limits, with the value count scaled to the text (see `nodes`)."""
        return self if len(text) <= self.nodes else replace(self, nodes=len(text))


LIMITS = Limits()


def limit_error(what: str, span: Span) -> InputError:
    return InputError(Problem(what, span))


# The messages of the limits, shared by both composers.
def too_deep(limits: Limits, span: Span) -> InputError:
    return limit_error(f"nesting deeper than {limits.depth} levels (the limit)", span)


def too_many_values(limits: Limits, span: Span) -> InputError:
    return limit_error(f"more than {limits.nodes:,} values in one file, aliases expanded (the limit)", span)


def too_many_keys(limits: Limits, span: Span) -> InputError:
    return limit_error(f"more than {limits.keys:,} keys in one mapping (the limit)", span)


def too_long(limits: Limits, span: Span) -> InputError:
    return limit_error(f"a value longer than {limits.scalar_chars:,} characters (the limit)", span)


def another_document(span: Span) -> InputError:
    return InputError(Problem("YAML syntax error: expected a single document, found another", span))


def span_of(file: str, mark) -> Span:
    return Span(file, mark.line + 1, mark.column + 1) if mark is not None else Span(file, 1, 1)


class _Open:
    """A collection being composed: its node, its anchor, and the expanded size and height so far."""

    __slots__ = ("node", "size", "height", "anchor", "mapping")

    def __init__(self, node: yaml.Node, anchor: str | None):
        self.node, self.size, self.height, self.anchor = node, 1, 1, anchor
        self.mapping = isinstance(node, yaml.MappingNode)


def compose(text: str, file: str, limits: Limits = LIMITS) -> yaml.Node | None:
    """One YAML document as a node graph (aliases shared), or None for an empty document.

    Every node carries `size` (nodes under it, aliases expanded) and `height` (levels
    under it, aliases expanded), so a walk over it is bounded by the limits.
    """
    return read_events(text, file, limits, _Composer)


def read_events(text: str, file: str, limits: Limits, composer) -> Any:
    """`composer(file, limits).run(loader)` over the text's events, with libyaml's errors located.
    The composers: `_Composer` here, and `located_yaml`'s, which builds located values directly."""
    try:
        loader = _Loader(text)
    except UnicodeEncodeError as exc:  # a lone surrogate, from a "\ud800" escape in a JSON string holding YAML
        raise InputError(Problem("a lone surrogate (\\ud800-\\udfff) is not text", _at(text, exc.start, file))) from None
    try:
        return composer(file, limits.for_text(text)).run(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(Problem(f"YAML syntax error: {exc.problem or exc.context}", span_of(file, mark))) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; it knows only the offset
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(Problem(f"YAML syntax error: character U+{code:04X} is not allowed ({exc.reason})",
                                 _at(text, _char_index(text, exc.position), file))) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(f"YAML syntax error: {exc}", Span(file, 1, 1))) from None
    finally:
        loader.dispose()


def _char_index(text: str, byte_offset: int) -> int:
    """libyaml reads the text as UTF-8 and reports reader errors at a byte offset."""
    return len(text.encode("utf-8", errors="surrogatepass")[:byte_offset].decode("utf-8", errors="ignore"))


def _at(text: str, index: int, file: str) -> Span:
    """The line and column of a character offset."""
    line = text.count("\n", 0, index) + 1
    return Span(file, line, index - (text.rfind("\n", 0, index) + 1) + 1)


class _Composer:
    """The state of one composition: anchors, the open collections, the counts the limits bound."""

    def __init__(self, file: str, limits: Limits):
        self.file, self.limits = file, limits
        self.resolver = yaml.resolver.Resolver()
        self.anchors: dict[str, yaml.Node] = {}
        self.stack: list[_Open] = []
        self.root: yaml.Node | None = None
        self.total = self.aliases = self.documents = 0
        self.keys = 2 * limits.keys  # a mapping's values are collected flat: key, value, key, value...

    def run(self, loader) -> yaml.Node | None:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise another_document(self._at(event))
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
            elif isinstance(event, yaml.ScalarEvent):
                self._scalar(event)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self._open(event)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self._close(event)
        return self.root

    def _at(self, event_or_node) -> Span:
        return span_of(self.file, event_or_node.start_mark)

    def _place(self, node: yaml.Node, size: int, height: int, added: int) -> None:
        """Put a finished node (or an alias's target) into the open collection; `added`: nodes it adds to the file."""
        limits, stack = self.limits, self.stack
        if len(stack) + height > limits.depth:
            raise too_deep(limits, self._at(node))
        self.total += added
        if self.total > limits.nodes:
            raise too_many_values(limits, self._at(node))
        if not stack:
            self.root = node
            return
        parent = stack[-1]
        values = parent.node.value
        values.append(node)
        parent.size += size
        if height >= parent.height:
            parent.height = height + 1
        if parent.mapping and len(values) > self.keys:
            raise too_many_keys(limits, self._at(node))

    def _alias(self, event: yaml.AliasEvent) -> None:
        self.aliases += 1
        if self.aliases > self.limits.aliases:
            raise limit_error(f"more than {self.limits.aliases:,} aliases in one file (the limit)", self._at(event))
        if any(o.anchor == event.anchor for o in self.stack):
            raise InputError(Problem(f"alias *{event.anchor} refers to its own anchor (a recursive alias)", self._at(event)))
        target = self.anchors.get(event.anchor)
        if target is None:
            raise InputError(Problem(f"alias *{event.anchor} names no anchor defined before it", self._at(event)))
        self._place(target, target.size, target.height, target.size)

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        if len(event.value) > self.limits.scalar_chars:
            raise too_long(self.limits, self._at(event))
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        node.size, node.height = 1, 1
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        self._place(node, 1, 1, 1)

    def _open(self, event) -> None:
        kind = yaml.MappingNode if isinstance(event, yaml.MappingStartEvent) else yaml.SequenceNode
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(kind, None, event.implicit)
        if len(self.stack) + 1 > self.limits.depth:
            raise too_deep(self.limits, self._at(event))
        self.stack.append(_Open(kind(tag, [], event.start_mark, None, flow_style=event.flow_style), event.anchor))

    def _close(self, event) -> None:
        done = self.stack.pop()
        node = done.node
        node.end_mark, node.size, node.height = event.end_mark, done.size, done.height
        if isinstance(node, yaml.MappingNode):  # collected flat (key, value, key, value...); PyYAML's nodes hold pairs
            node.value = list(zip(node.value[0::2], node.value[1::2]))
        if done.anchor is not None:
            self.anchors[done.anchor] = node
        self._place(node, done.size, done.height, 1)  # its children were counted as they came


# Scalars -----------------------------------------------------------------------------------------
_SAFE = yaml.constructor.SafeConstructor()
_DIGITS = re.compile(r"[0-9a-fA-F]")
_TAG_NAMES = {INT: "an integer", FLOAT: "a number", BOOL: "true or false", TIMESTAMP: "a date or time", NULL: "null"}


def short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def refused_tag(node: yaml.Node, file: str) -> InputError:
    tag = node.tag
    if tag.startswith("tag:yaml.org,2002:python/"):
        why = "Python tags are not allowed"
    elif tag == MERGE:
        why = "YAML merge keys ('<<', !!merge) are not supported; write the keys out"
    elif tag == "tag:yaml.org,2002:binary":
        why = "binary values (!!binary) are not supported"
    else:
        why = f"the tag {short_tag(tag)} is not supported"
    return InputError(Problem(why, span_of(file, node.start_mark)))


def check_collection(node: yaml.Node, file: str) -> None:
    """Mappings and sequences may carry only their own tags (no !!set, !!omap, !!python/...)."""
    expected = MAP if isinstance(node, yaml.MappingNode) else SEQ
    if node.tag != expected:
        raise refused_tag(node, file)


def scalar(node: yaml.ScalarNode, file: str, limits: Limits = LIMITS) -> Any:
    """The value of a scalar under YAML's safe types; anything else is a located InputError."""
    tag = node.tag
    if tag == STR or tag == VALUE:
        return node.value
    if tag == INT:
        digits = len(_DIGITS.findall(node.value))
        if digits > limits.int_digits:
            raise InputError(Problem(f"an integer with more than {limits.int_digits} digits (the limit)", span_of(file, node.start_mark)))
    constructor = {NULL: _SAFE.construct_yaml_null, BOOL: _SAFE.construct_yaml_bool, INT: _SAFE.construct_yaml_int,
                   FLOAT: _SAFE.construct_yaml_float, TIMESTAMP: _SAFE.construct_yaml_timestamp}.get(tag)
    if constructor is None:
        raise refused_tag(node, file)
    try:
        value = constructor(node)
    except Exception:  # noqa: BLE001 - every way a value can miss its tag: ValueError, KeyError, AttributeError...
        shown = node.value if len(node.value) <= 40 else node.value[:40] + "..."
        raise InputError(Problem(f"{shown!r} is not {_TAG_NAMES[tag]} ({short_tag(tag)})", span_of(file, node.start_mark))) from None
    return value
