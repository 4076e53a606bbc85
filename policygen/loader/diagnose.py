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
    return ".".join(str(p) for p in path) or "the file"


def _shown(value: Any, raw: str | None) -> str:
    return repr(raw) if raw is not None else repr(value)


def _problem(error: dict, marked: Marked) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    is_key = bool(loc) and loc[-1] == "[key]"
    # pydantic adds internal segments such as 'function-after[_ipv4_network(), str]' to some locs
    path: Path = tuple(p for p in loc if not (isinstance(p, str) and "[" in p))
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
    return Problem(f"{_where(path)}: {error['msg']} (got {_shown(value, raw)})", marked.span(path))


def problems_from(exc: ValidationError, marked: Marked) -> list[Problem]:
    seen: set[tuple] = set()
    out = []
    for error in exc.errors():
        problem = _problem(error, marked)
        key = (problem.message, problem.span)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out
