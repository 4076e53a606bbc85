"""Account templates against CloudFormation's quotas (issue 13): 51,200 bytes inline, 1 MB from S3,
500 resources; a per-account template does not grow with the organization, only the hub's does."""

from __future__ import annotations

import importlib
import importlib.util
import sys

import pytest
import yaml

from policygen.errors import BuildError
from policygen.generate import quotas
from policygen.generate.build import build_text
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
synthetic_org = importlib.import_module("synthetic_org")


def test_which_template_limit_applies():
    assert quotas.template_quota("t.yaml", 51_200, 500) is None
    severity, why = quotas.template_quota("t.yaml", 51_201, 10)
    assert severity == "warning" and "TemplateURL" in why and "51,201" in why
    severity, why = quotas.template_quota("t.yaml", 1_048_577, 10)
    assert severity == "error" and "1,048,576" in why
    severity, why = quotas.template_quota("t.yaml", 100, 501)  # the generator splits before this
    assert severity == "error" and "501 resources" in why


def _templates(n: int):
    result = build_text(yaml.safe_dump(synthetic_org.realistic_org(n), sort_keys=False), "org.yaml")
    return result, {a.account: len(a.content) for a in result.artifacts if a.kind == "cfn-template"}


def test_only_the_hub_template_grows_and_the_build_says_it_needs_s3():
    small, small_sizes = _templates(50)
    large, large_sizes = _templates(200)
    for account, size in large_sizes.items():
        if account in small_sizes and account != "shared":
            # the same account's template, in an organization four times larger: names may gain a digit, no more
            assert size <= small_sizes[account] * 1.01, account
    assert max(s for a, s in large_sizes.items() if a != "shared") <= quotas.TEMPLATE_BODY_BYTES
    assert large_sizes["shared"] > quotas.TEMPLATE_BODY_BYTES  # the hub holds a registry group per five accounts
    assert len(large.warnings) == 1 and large.warnings[0].startswith("templates/shared.yaml is ")
    assert all(w.startswith("templates/shared.yaml is ") for w in small.warnings)


def test_templates_past_the_size_quota(monkeypatch):
    org = yaml.safe_dump(synthetic_org.realistic_org(10), sort_keys=False)
    monkeypatch.setattr(quotas, "TEMPLATE_URL_BYTES", 1000)
    with pytest.raises(BuildError, match="even from S3"):
        build_text(org, "org.yaml")


def test_a_template_past_the_resource_quota_becomes_stacks_with_the_same_access(monkeypatch, tmp_path):
    """Split at 12 resources instead of 500 (a hub of a ~1,500-account organization, in miniature): every
    part fits, the build lints clean, and the access graph read back from the templates is unchanged."""
    from policygen.access.graph import build_graph
    from policygen.access.world import world_from
    from policygen.iamdb import load
    from policygen.ingest.collect import collect
    from policygen.lint.run import LintOptions, run

    org = yaml.safe_dump(synthetic_org.realistic_org(30), sort_keys=False)
    whole = build_text(org, "org.yaml", tmp_path / "whole")
    monkeypatch.setattr(quotas, "TEMPLATE_RESOURCES", 12)
    split = build_text(org, "org.yaml", tmp_path / "split")
    counts = {a.path: len(yaml.safe_load(a.content.decode().replace("!", ""))["Resources"])
              for a in split.artifacts if a.kind == "cfn-template"}
    assert max(counts.values()) <= 12
    assert any(".part-2.yaml" in path for path in counts)
    assert sum(counts.values()) == sum(len(yaml.safe_load(a.content.decode().replace("!", ""))["Resources"])
                                       for a in whole.artifacts if a.kind == "cfn-template")
    for folder, result in (("whole", whole), ("split", split)):
        for path, content in result.files.items():
            (tmp_path / folder / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / folder / path).write_bytes(content)

    def edges(folder):
        world = world_from(collect([str(tmp_path / folder)]))
        return {(e.principal, e.resource, e.level, e.network) for e in build_graph(world, load(), same_account_stand_ins=True)}

    assert edges("split") == edges("whole") != set()
    report = run(LintOptions(), [str(tmp_path / "split")])
    assert [f for f in report.findings if f.severity in ("error", "warning")] == []


def test_the_benchmark_reports_both_template_limits(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    result, sizes = _templates(50)
    for path, content in result.files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(content)
    margins = run.quota_margins(tmp_path)
    assert margins["template inline"] == round(max(sizes.values()) / 51_200, 3)
    assert margins["template via S3"] == round(max(sizes.values()) / 1_048_576, 3)
