"""`.policygen.yaml`: project settings and path-based suppressions, found upward from the working directory.

    build:                                  # optional: what `policygen build` builds without arguments
      org: platform/org.yaml
      output: out
    catalogue: tools/iam-definition.json   # optional: a newer IAM catalogue
    fail_on: warning                        # optional: default threshold
    suppressions:
      - rule: LP102                         # an id, or a pattern such as "LP1*"
        paths: ["legacy/*.json"]            # globs relative to this file's folder; * crosses folders
        reason: written before the platform; replaced in Q3
        expires: 2027-03-31                 # optional
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from policygen.errors import InputError, Problem
from policygen.loader.load import read_text
from policygen.parse.located import LDict, line_of, parse, position_of
from policygen.model.finding import SEVERITIES, Location
from policygen.model.span import Span
from policygen.model.suppression import Suppression

NAME = ".policygen.yaml"
KEYS = {"catalogue", "fail_on", "suppressions", "build"}
ENTRY_KEYS = {"rule", "paths", "reason", "expires"}


@dataclass
class Config:
    path: str | None = None
    catalogue: str | None = None
    fail_on: str | None = None
    suppressions: list[Suppression] = field(default_factory=list)
    build_org: str | None = None  # `build: {org: ..., output: ...}`: what `policygen build` does without arguments
    build_output: str | None = None

    @property
    def folder(self) -> str | None:
        return os.path.dirname(os.path.abspath(self.path)) if self.path else None


def find_config(start: Path) -> Path | None:
    for folder in [start.resolve(), *start.resolve().parents]:
        candidate = folder / NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    file = str(path)
    data = parse(read_text(path), file) or {}  # bounded, like every input: a pull request can bring this file

    def fail(message: str, node, holder: dict | None = None) -> InputError:
        """At the value, or, for a key, at the key's place in the mapping that holds it."""
        line, col = holder.position_of(node) if isinstance(holder, LDict) else position_of(node)
        return InputError(Problem(message, Span(file, line or 1, col or 1)))

    if not isinstance(data, dict):
        raise fail(f"{NAME} must be a mapping", data)
    for key in data:
        if key not in KEYS:
            raise fail(f"unknown key '{key}' in {NAME}; expected one of {', '.join(sorted(KEYS))}", key, data)
    config = Config(path=file)
    if "catalogue" in data:
        config.catalogue = str((path.parent / str(data["catalogue"])).resolve())
    if "fail_on" in data:
        if data["fail_on"] not in SEVERITIES:
            raise fail(f"fail_on: '{data['fail_on']}' is not one of {', '.join(SEVERITIES)}", data["fail_on"])
        config.fail_on = str(data["fail_on"])
    if "build" in data:
        build = data["build"]
        if not isinstance(build, dict) or set(build) - {"org", "output"} or not build.get("org") or not build.get("output"):
            raise fail("build must be a mapping with 'org' and 'output' (paths relative to this file)", build)
        config.build_org = os.path.relpath(path.parent / str(build["org"]))
        config.build_output = os.path.relpath(path.parent / str(build["output"]))
    entries = data.get("suppressions") or []
    if not isinstance(entries, list):
        raise fail("suppressions must be a list", entries)
    for entry in entries:
        config.suppressions.append(_suppression(entry, file, str(path.parent.resolve()), fail))
    return config


def _suppression(entry, file: str, folder: str, fail) -> Suppression:
    if not isinstance(entry, dict):
        raise fail("each suppression is a mapping with rule, paths and reason", entry)
    for key in entry:
        if key not in ENTRY_KEYS:
            raise fail(f"unknown key '{key}' in a suppression; expected {', '.join(sorted(ENTRY_KEYS))}", key, entry)
    for key in ("rule", "paths", "reason"):
        if key not in entry:
            raise fail(f"a suppression needs '{key}'", entry)
    reason = str(entry["reason"]).strip()
    if len(reason) < 10:
        raise fail(f"reason '{reason}' is too short to tell a reviewer why the finding is accepted", entry["reason"])
    paths = entry["paths"] if isinstance(entry["paths"], list) else [entry["paths"]]
    expires = entry.get("expires")
    if expires is not None:
        try:
            expires = dt.date.fromisoformat(str(expires))
        except ValueError:
            raise fail(f"expires: '{expires}' is not a date like 2027-01-31", expires) from None
    return Suppression(rule=str(entry["rule"]).upper(), reason=reason, expires=expires,
                       where=Location(file, line_of(entry, 1)), source="config",
                       paths=tuple(str(p) for p in paths), base_dir=folder)
