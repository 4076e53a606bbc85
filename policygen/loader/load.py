"""Load an organization file: read YAML with marks, validate structure, resolve references."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pydantic import ValidationError

from policygen.errors import InputError, Problem
from policygen.loader.diagnose import problems_from
from policygen.parse.marked import read_marked
from policygen.loader.resolve import resolve
from policygen.loader.schema import OrgFile
from policygen.loader.suppressions import collect as collect_suppressions
from policygen.model.org import Org
from policygen.model.span import Span


def load_org_text(text: str, file: str) -> Org:
    marked = read_marked(text, file)
    if not isinstance(marked.data, dict):
        raise InputError(Problem("an organization file must be a YAML mapping with 'version: 1' at the top", Span(file, 1, 1)))
    if "version" not in marked.data:
        raise InputError(Problem("missing 'version: 1' (the format version is required)", Span(file, 1, 1)))
    unquoted = [
        Problem(f"account id {marked.raw[path]} is not quoted: YAML 1.2 readers take it for a number and drop "
                f'leading zeros; write id: "{marked.raw[path]}"', marked.span(path))
        for path in sorted(marked.plain_digits, key=str)
        if len(path) == 3 and path[0] == "accounts" and path[2] == "id"
    ]
    if unquoted:
        raise InputError(unquoted)
    try:
        spec = OrgFile.model_validate(marked.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, marked)) from None
    return dataclasses.replace(resolve(spec, marked), suppressions=collect_suppressions(marked))


def read_text(path: str | Path) -> str:
    """The file's text, or an InputError that says why it cannot be read."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(Problem(f"{path}: no such file")) from None
    except IsADirectoryError:
        raise InputError(Problem(f"{path}: is a directory, expected an organization file")) from None
    except UnicodeDecodeError as exc:
        raise InputError(Problem(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})")) from None
    except OSError as exc:
        raise InputError(Problem(f"{path}: cannot read ({exc.strerror})")) from None


def load_org(path: str | Path) -> Org:
    return load_org_text(read_text(path), str(path))
