"""Where an access world comes from: paths (org files, builds, templates, policies) or a git revision of an org file."""

from __future__ import annotations

import subprocess
from pathlib import Path

from policygen.access.world import World, world_from
from policygen.errors import InputError, Problem
from policygen.ingest.collect import collect
from policygen.policydoc.corpus import Corpus
from policygen.ingest.org_file import read_org


def world_of(spec: str) -> World:
    """An existing path, or REV:PATH naming an organization file in a git revision (HEAD~1:org.yaml)."""
    if Path(spec).exists():
        return world_from(collect([spec]))
    return world_from_org_text(git_show(spec), spec)


def git_show(spec: str) -> str:
    """The text of REV:PATH (an organization file in a git revision), or an InputError naming it."""
    rev, sep, path = spec.partition(":")
    if not sep or not rev or not path:
        raise InputError(Problem(f"{spec}: no such file or directory (for a git revision write REV:PATH)"))
    result = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, text=True)
    if result.returncode != 0:
        raise InputError(Problem(f"{spec}: git cannot show it ({result.stderr.strip() or 'unknown error'})"))
    return result.stdout


def world_from_org_text(text: str, name: str) -> World:
    """The world of an organization file held in memory (a git revision, a generated organization)."""
    corpus = Corpus()
    read_org(text, name, corpus)
    return world_from(corpus)
