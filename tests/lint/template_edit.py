"""Hand edits to a generated template's policy statements, made on the text so that every other
line keeps its number (fixtures name the lines where findings are expected)."""

from __future__ import annotations

import re


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The index after the block that starts at `start` and holds the lines indented deeper than `indent`."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end += 1
    return end


def _statement(lines: list[str], resource: str, sid: str) -> tuple[int, int]:
    head = next(i for i, line in enumerate(lines) if re.fullmatch(rf"\s*{re.escape(resource)}:\s*", line))
    for i in range(head + 1, _block_end(lines, head, _indent(lines[head]))):
        if re.fullmatch(rf"\s*- Sid: {re.escape(sid)}\s*", lines[i]):
            return i, _block_end(lines, i, _indent(lines[i]))
    raise AssertionError(f"no statement {sid} in {resource}")


def drop_statement(text: str, resource: str, sid: str) -> str:
    lines = text.split("\n")
    start, end = _statement(lines, resource, sid)
    return "\n".join(lines[:start] + lines[end:])


def set_condition(text: str, resource: str, sid: str, operator: str, key: str, values: list[str]) -> str:
    """Replace the statement's values for operator/key (the key must already be there)."""
    lines = text.split("\n")
    start, end = _statement(lines, resource, sid)
    op = next(i for i in range(start, end) if lines[i].strip() == f"{operator}:")
    at = next(i for i in range(op, end) if lines[i].strip().startswith(f"{key}:"))
    indent = _indent(lines[at])
    stop = _block_end(lines, at, indent)
    new = [" " * indent + f"{key}:"] + [" " * (indent + 2) + f"- {v}" for v in values]
    return "\n".join(lines[:at] + new + lines[stop:])


def add_statement(text: str, resource: str, after_sid: str, statement: list[str]) -> str:
    """Insert statement lines (written at the list's indentation, '- Sid: ...' first) after a statement."""
    lines = text.split("\n")
    start, end = _statement(lines, resource, after_sid)
    indent = _indent(lines[start])
    return "\n".join(lines[:end] + [" " * indent + s for s in statement] + lines[end:])


def drop_key(text: str, resource: str, sid: str, key: str) -> str:
    """Remove one key (and its value lines) anywhere inside a statement, e.g. a condition key."""
    lines = text.split("\n")
    start, end = _statement(lines, resource, sid)
    at = next(i for i in range(start, end) if lines[i].strip().startswith(f"{key}:"))
    stop = _block_end(lines, at, _indent(lines[at]))
    return "\n".join(lines[:at] + lines[stop:])


def replace_block(text: str, resource: str, sid: str, key: str, new: str) -> str:
    """Replace a key of the statement (with its value lines) by `key: new` on one line."""
    lines = text.split("\n")
    start, end = _statement(lines, resource, sid)
    at = next(i for i in range(start, end) if lines[i].strip().startswith(f"{key}:") or lines[i].strip().startswith(f"- {key}:"))
    stop = _block_end(lines, at, _indent(lines[at]))
    prefix = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    dash = "- " if lines[at].strip().startswith("- ") else ""
    return "\n".join(lines[:at] + [f"{prefix}{dash}{key}: {new}"] + lines[stop:])
