"""The build pipeline as one call: load, plan, generate, render. Writing is the caller's choice."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from policygen.cycles import collection_paused
from policygen.generate.compile import compile_org
from policygen.generate.facts import organization_facts
from policygen.generate.validate import validate_text
from policygen.generate.writer import files_of, manifest_bytes
from policygen.loader.load import read_text
from policygen.model.artifact import Artifact
from policygen.model.facts import OrgFacts
from policygen.model.org import Org
from policygen.parallel import Background


@dataclass
class BuildResult:
    org: Org
    artifacts: list[Artifact]
    files: dict[str, bytes]
    facts: OrgFacts  # accounts, OUs, endpoints, declared accesses (also in the manifest)
    warnings: list[str] = field(default_factory=list)  # deployable, with care: a template that must go through S3


def build_text(text: str, file: str, output_dir: str | Path | None = None, compact: bool = True,
               jobs: int | None = 1) -> BuildResult:
    """file: the organization file as the user named it; output_dir: where the build will be written;
    compact=False enumerates every account in every policy (the form the compact one is proven against);
    jobs: processes (None: one per core); the files are the same with any number."""
    with collection_paused():
        return _build_text(text, file, output_dir, compact, jobs)


def _build_text(text: str, file: str, output_dir: str | Path | None, compact: bool, jobs: int | None) -> BuildResult:
    from policygen.generate.coverage import allowed_calls, coverage_table  # the workflow catalogue reads the built policies

    valid = validate_text(text, file, compact)
    org, plan = valid.org, valid.plan
    # The workflow calls that grant coverage compares the grants with come from the organization and
    # the plan alone: a child works them out while this process compiles (a fifth of a large build).
    with Background(lambda: allowed_calls(org, plan), jobs) as calls:
        # Deployable templates name the file only (a header comment), so where the build runs from changes none of them.
        warnings: list[str] = []  # templates past a CloudFormation quota that still deploy (from S3, or split)
        artifacts = compile_org(org, Path(file).name, plan, warnings)
        facts = organization_facts(org, plan, source=file)
        allowed = calls.result()
    manifest = manifest_bytes(artifacts, manifest_source(file, output_dir), text, facts,
                              coverage=coverage_table(org, artifacts, plan, allowed))
    return BuildResult(org, artifacts, files_of(artifacts, manifest), facts, warnings)


def manifest_source(file: str, output_dir: str | Path | None) -> str:
    """The organization file as the manifest names it: relative to the build folder, so that a reader
    in any working directory finds it (and findings can name it by its real path)."""
    if output_dir is None:
        return Path(file).as_posix()
    return Path(os.path.relpath(Path(file).absolute(), Path(output_dir).absolute())).as_posix()


def build_file(path: str | Path, output_dir: str | Path | None = None, compact: bool = True,
               jobs: int | None = 1) -> BuildResult:
    return build_text(read_text(path), str(path), output_dir, compact, jobs)
