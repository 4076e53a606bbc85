"""The benchmark's pieces (synthetic organizations, the regression guard) and the cfn-lint cache."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from policygen.generate.build import build_text
from policygen.checks import cfn_lint_cache
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
synthetic_org = importlib.import_module("synthetic_org")


def _run_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("n", [1, 10, 37])
def test_synthetic_organizations_build(n):
    result = build_text(synthetic_org.org_yaml(n), f"org{n}.yaml")
    kinds = {a.kind for a in result.artifacts}
    assert {"bucket-policy", "key-policy", "identity-policy", "trust-policy", "scp", "stackset"} <= kinds
    pattern = "pull" if n % 2 == 0 else "push"
    assert ("event-bus-policy" in kinds) == (pattern == "pull")


def test_guard_flags_only_real_regressions(tmp_path, monkeypatch):
    run = _run_module()
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"lint": {"x_floor": 2.0}, "build": {"x_floor": 1.0}}))
    monkeypatch.setattr(run, "BASELINE", baseline)
    assert run.guard({"lint": {"x_floor": 5.9}, "build": {"x_floor": 2.9}, "floor": {"x_floor": 1.0}}) == []
    failures = run.guard({"lint": {"x_floor": 6.1}, "build": {"x_floor": 1.0}})
    assert len(failures) == 1 and failures[0].startswith("lint:")


def test_recorded_baseline_covers_every_guarded_step():
    recorded = json.loads((ROOT / "benchmarks" / "baseline.json").read_text())
    assert {"validate", "build", "lint", "graph", "lint-one-change"} <= set(recorded)


TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketNam: example-data-bucket\n'


def test_cfn_lint_results_are_cached_by_content_and_version(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path))
    texts = {"a.yaml": TEMPLATE, "b.yaml": TEMPLATE.replace("BucketNam", "BucketName")}
    first, linted = cfn_lint_cache.lint_templates(texts, ("eu-west-1",), jobs=2)
    assert linted == 2 and [m["rule"] for m in first["a.yaml"]] == ["E3002"] and first["b.yaml"] == []
    again, linted = cfn_lint_cache.lint_templates({**texts, "c.yaml": TEMPLATE}, ("eu-west-1",))
    assert linted == 0 and again["c.yaml"] == first["a.yaml"]  # same content, no second run
    folders = [p.name for p in tmp_path.iterdir()]
    from importlib.metadata import version

    assert folders == [f"cfn-lint-{version('cfn-lint')}-policygen-0.1.0-v2-eu-west-1"]
    assert not list(tmp_path.rglob(".tmp-*"))  # entries are renamed into place, never left half-written
