"""Load an organization file: read YAML with marks, validate structure, resolve references."""

from __future__ import annotations

import copy
import dataclasses
import os
import stat
from pathlib import Path

from pydantic import ValidationError

from policygen.errors import InputError, Problem
from policygen.loader.diagnose import problems_from
from policygen.parse.compose import LIMITS
from policygen.parse.marked import read_marked
from policygen.loader.resolve import resolve
from policygen.loader.schema import OrgFile
from policygen.loader.suppressions import collect as collect_suppressions
from policygen.model.org import Org
from policygen.model.span import Span


def load_org_text(text: str, file: str) -> Org:
    """The resolved organization, or one InputError with every independent problem, sorted by line.

    Stages that do not depend on each other all report: unquoted account ids, the schema, and the
    references of every entry that passed the schema. An entry that failed the schema is left out
    of resolving, and references to it are not reported again (the problem is reported at its root).
    """
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
    problems, more, left_out = list(unquoted), 0, set()
    try:
        spec = OrgFile.model_validate(marked.data)
    except ValidationError as exc:
        worded, more = problems_from(exc, marked)
        taken = {(p.span.line, p.span.column) for p in unquoted if p.span}
        problems += [p for p in worded if not p.span or (p.span.line, p.span.column) not in taken]
        spec, left_out = _without_failed_entries(marked.data, exc)
    if spec is not None:
        try:
            org = resolve(spec, marked)
        except InputError as exc:
            problems += [p for p in exc.problems if not _follows_from(p, left_out)]
        else:
            if not problems:
                return dataclasses.replace(org, suppressions=collect_suppressions(marked))
    raise InputError(sorted(problems, key=lambda p: (p.span.line, p.span.column) if p.span else (0, 0)), more=more)


def _without_failed_entries(data: dict, exc: ValidationError) -> tuple[OrgFile | None, set[str]]:
    """The file validated without what failed: an unknown key is dropped, a malformed named entry
    (`buckets.data`) is left out. None when a whole section failed, so nothing can be resolved."""
    trimmed, left_out = copy.deepcopy(data), set()
    for error in exc.errors(include_url=False):
        loc = tuple(error.get("loc") or ())
        if error.get("type") == "extra_forbidden" and loc:
            holder = _at(trimmed, loc[:-1])
            if isinstance(holder, dict):
                holder.pop(loc[-1], None)
            continue
        section = _at(trimmed, loc[:1]) if loc else None
        if len(loc) < 2 or not isinstance(section, dict) or loc[1] not in section:
            return None, left_out
        section.pop(loc[1], None)
        left_out.add(str(loc[1]))
    try:
        return OrgFile.model_validate(trimmed), left_out
    except ValidationError:
        return None, left_out


def _at(data, path: tuple):
    for key in path:
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def _follows_from(problem: Problem, left_out: set[str]) -> bool:
    """A reference to an entry that failed the schema: already reported where the entry is."""
    return any(f"'{name}'" in problem.message and problem.message.startswith("unknown ") for name in left_out)


def read_text(path: str | Path, limit: int = LIMITS.file_bytes) -> str:
    """The file's text, or an InputError that says why it cannot be read.

    Reads at most `limit` bytes: a bigger file is an error naming the limit. Only regular files
    are read; the file is opened without blocking, so a FIFO cannot hang the run.
    """
    return decode(read_bytes(path, limit), str(path))


def read_bytes(path: str | Path, limit: int = LIMITS.file_bytes) -> bytes:
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(Problem(f"{path}: no such file")) from None
    except IsADirectoryError:
        raise InputError(Problem(f"{path}: is a directory, expected a file")) from None
    except OSError as exc:
        raise InputError(Problem(f"{path}: cannot read ({exc.strerror})")) from None
    try:
        kind = file_kind(os.fstat(fd).st_mode)
        if kind != "regular file":
            raise InputError(Problem(f"{path}: is a {kind}, not a regular file"))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise InputError(Problem(f"larger than {limit:,} bytes (the limit for one input file)", Span(str(path), 1, 1)))
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(Problem(f"{path}: cannot read ({exc.strerror})")) from None
    finally:
        os.close(fd)


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text; an invalid byte is reported at its line and column."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        raise InputError(Problem(f"not UTF-8 text ({exc.reason}, byte 0x{raw[exc.start]:02x})",
                                 Span(file, line, column))) from None


def file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISREG, "regular file"), (stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "FIFO (named pipe)"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "special file"


def load_org(path: str | Path) -> Org:
    return load_org_text(read_text(path), str(path))
