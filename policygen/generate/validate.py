"""Validation as one stage, which `validate` and `build` both run, so they can never disagree.

Loading reports every problem of the file itself (syntax, schema, references); planning reports
every problem across sections (a principal nobody declares, a vpc_only resource a consumer cannot
reach). A file that passes both builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policygen.generate.plan import Plan, build_plan
from policygen.loader import load_org_text
from policygen.loader.load import read_text
from policygen.model.org import Org


@dataclass(frozen=True)
class Validated:
    org: Org
    plan: Plan


def validate_text(text: str, file: str, compact: bool = True) -> Validated:
    org = load_org_text(text, file)
    return Validated(org, build_plan(org, compact))


def validate_file(path: str | Path, compact: bool = True) -> Validated:
    return validate_text(read_text(path), str(path), compact)
