"""The build pipeline as one call: load, plan, generate, render. Writing is the caller's choice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policygen.generate.compile import compile_org
from policygen.generate.facts import organization_facts
from policygen.generate.plan import build_plan
from policygen.generate.writer import files_of, manifest_bytes
from policygen.loader import load_org_text
from policygen.loader.load import read_text
from policygen.model.artifact import Artifact
from policygen.model.org import Org


@dataclass
class BuildResult:
    org: Org
    artifacts: list[Artifact]
    files: dict[str, bytes]
    facts: dict  # organization_facts: accounts, OUs, endpoints, declared accesses (also in the manifest)


def build_text(text: str, file: str, compact: bool = True) -> BuildResult:
    """compact=False enumerates every account in every policy (the form the compact one is proven against)."""
    org = load_org_text(text, file)
    name = Path(file).name
    plan = build_plan(org, compact)
    artifacts = compile_org(org, name, plan)
    facts = organization_facts(org, plan)
    return BuildResult(org, artifacts, files_of(artifacts, manifest_bytes(artifacts, name, text, facts)), facts)


def build_file(path: str | Path, compact: bool = True) -> BuildResult:
    return build_text(read_text(path), str(path), compact)
