"""Turn pydantic validation errors into problems that name file, line, column and value."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from policygen.errors import Problem
from policygen.parse.marked import Marked, Path
from policygen.loader.schema import PATTERN_MEANINGS, OrgFile


def suggest(word: str, choices: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' when one choice is close, else ''."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...], list[...] or dict[..., ...], if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _unwrap(arg)
        if found is not None:
            return found
    return None


def _model_at(path: Path) -> type[BaseModel] | None:
    """The model class whose instance lives at path (skipping dict keys and list indexes)."""
    model: type[BaseModel] | None = OrgFile
    pending_container = False
    for part in path:
        if model is None:
            return None
        if pending_container:
            pending_container = False
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        inner = _unwrap(field.annotation)
        origin = typing.get_origin(field.annotation)
        args = typing.get_args(field.annotation)
        is_container = origin in (list, dict) or any(typing.get_origin(a) in (list, dict) for a in args)
        model = inner
        pending_container = is_container and inner is not None
    return model


def _where(path: Path) -> str:
    text = ".".join(str(p) for p in path) or "the file"
    return text if len(text) <= 200 else "..." + text[-197:]


def _shown(value: Any, raw: str | None) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(raw) if raw is not None else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _data_path(loc: tuple, data: Any) -> tuple[Path, bool]:
    """The path into the file's data that pydantic's loc names, and whether the error is about the key.

    pydantic adds segments of its own (`function-after[_ipv4_network(), str]`, `[key]`); a segment
    is taken for one of those only when the data has no such key, so a key written `a[b]` keeps its name.
    """
    path: list = []
    node = data
    is_key = False
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif part == "[key]":
            is_key = True
            continue
        elif isinstance(part, str) and "[" in part and part.endswith("]"):
            continue
        else:
            node = None  # a key that is not there: the missing one, or below a value of the wrong type
        path.append(part)
    return tuple(path), is_key


# pydantic's error type -> what the format expects, in the tool's words
_EXPECTED = {
    "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping", "dataclass_type": "a mapping",
    "list_type": "a list", "tuple_type": "a list", "set_type": "a list", "frozen_set_type": "a list",
    "string_type": "a string", "bool_type": "true or false", "bool_parsing": "true or false",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number", "date_type": "a date like 2027-01-31",
    "date_parsing": "a date like 2027-01-31", "date_from_datetime_parsing": "a date like 2027-01-31",
}


def _expected(kind: str, error: dict, path: Path) -> str | None:
    ctx = error.get("ctx") or {}
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        return f"{'at least' if kind == 'too_short' else 'at most'} {bound} item{'s' if bound != 1 else ''}"
    expected = _EXPECTED.get(kind)
    if expected == "a list" and path and _holds_strings(path):
        return "a list of names"
    if expected is None and str(error.get("msg", "")).startswith("Input should be "):
        # a type we did not word ourselves: keep pydantic's expectation, without its model names
        expected = str(error["msg"]).removeprefix("Input should be ").removeprefix("a valid ")
        expected = expected.split(" or instance of ")[0]
    return expected


def _holds_strings(path: Path) -> bool:
    """Whether the field at path is a list of strings (names, ARNs, CIDRs...)."""
    model = _model_at(path[:-1])
    field = model.model_fields.get(str(path[-1])) if model else None
    todo = [field.annotation] if field else []
    while todo:
        annotation = todo.pop()
        if typing.get_origin(annotation) in (list, tuple, set, frozenset) and any(
                arg is str or (typing.get_origin(arg) is typing.Annotated and typing.get_args(arg)[0] is str)
                for arg in typing.get_args(annotation)):
            return True
        todo.extend(typing.get_args(annotation))
    return False


def _problem(error: dict, marked: Marked) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    path, is_key = _data_path(loc, marked.data)
    raw = marked.raw.get(path)
    value = error.get("input")
    field = str(path[-1]) if path else ""

    if kind == "extra_forbidden":
        model = _model_at(path[:-1])
        allowed = sorted(model.model_fields) if model else []
        listing = f" (valid keys: {', '.join(allowed)})" if allowed else ""
        hint = suggest(field, allowed)
        return Problem(f"unknown key '{field}' in {_where(path[:-1])}{hint or listing}", marked.key_span(path))
    if kind == "missing":
        return Problem(f"missing required key '{field}' in {_where(path[:-1])}", marked.span(path[:-1]))
    if field == "id" and len(path) >= 2 and path[0] == "accounts" and isinstance(value, (int, float)):
        text = raw if raw is not None else str(value)
        return Problem(
            f"account id {text} is not a quoted string: YAML read it as a number, which drops leading zeros; "
            f'write id: "{text}"',
            marked.span(path),
        )
    if path == ("version",):
        return Problem(f"version must be 1, got {_shown(value, raw)}", marked.span(path))
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",") if c.strip()]
        span = marked.key_span(path) if is_key else marked.span(path)
        what = "key" if is_key else "value"
        if isinstance(value, (dict, list)):
            return Problem(f"{_where(path)}: expected one of {expected}, got {_shown(value, raw)}", span)
        return Problem(f"unknown {what} {_shown(value, raw)} for {_where(path)}; expected one of {expected}{suggest(value, choices)}", span)
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        meaning = PATTERN_MEANINGS.get(pattern, f"the pattern {pattern}")
        span = marked.key_span(path) if is_key else marked.span(path)
        return Problem(f"{_shown(value, raw)} at {_where(path)} is not {meaning}", span)
    if kind == "string_type" and isinstance(value, (int, float, bool)):
        return Problem(f"{_where(path)} must be a string; got {_shown(value, raw)} (quote it)", marked.span(path))
    if kind == "value_error":
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        return Problem(f"{_where(path)}: {message}", marked.span(path))
    expected = _expected(kind, error, path)
    if expected:
        return Problem(f"{_where(path)}: expected {expected}, got {_shown(value, raw)}", marked.span(path))
    return Problem(f"{_where(path)}: {error['msg']} (got {_shown(value, raw)})", marked.span(path))


MAX_WORDED = 1_000  # errors worded one by one; the rest are only counted


def problems_from(exc: ValidationError, marked: Marked) -> tuple[list[Problem], int]:
    """The problems, and how many more errors there were beyond the first MAX_WORDED."""
    seen: set[tuple] = set()
    out = []
    errors = exc.errors(include_url=False, include_context=True)
    for error in errors[:MAX_WORDED]:
        problem = _problem(error, marked)
        key = (problem.message, problem.span)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out, max(0, len(errors) - MAX_WORDED)
