"""The realistic benchmark shape (issue 13) builds within quota, by account list and by OU, and the
guard knows it."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
import yaml

from policygen.generate.build import build_text
from policygen.generate.quotas import LIMITS, size
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
synthetic_org = importlib.import_module("synthetic_org")


@pytest.mark.parametrize("by_ou", [False, True])
def test_the_shape_builds_every_document_within_quota(by_ou):
    org = synthetic_org.realistic_org(200, by_ou)
    assert len(org["accounts"]) == 202 and len(org["model_registry"]["groups"]) == 40
    result = build_text(yaml.safe_dump(org, sort_keys=False), "org.yaml")
    shares = [size(a.data) / LIMITS[a.kind] for a in result.artifacts if a.kind in LIMITS and a.data is not None]
    assert shares and max(shares) <= 1
    text = b"".join(result.files.values())
    assert b"aws:PrincipalOrgPaths" in text  # the enumerated form does not fit at 200 (issue 13)
    with pytest.raises(Exception, match="quota"):
        build_text(yaml.safe_dump(org, sort_keys=False), "org.yaml", compact=False)


def test_the_guard_measures_the_realistic_shape():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    assert "realistic" in run.GUARD_SHAPES
    recorded = json.loads((ROOT / "benchmarks" / "baseline.json").read_text())
    assert {"validate", "build", "lint", "graph"} <= set(recorded["realistic"])
