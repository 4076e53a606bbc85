"""Builds of random organizations: succeed, are deterministic, respect quotas, never open '*' unconditionally."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings

from policygen.generate.build import build_text
from policygen.generate.quotas import LIMITS, size
from policygen.model.artifact import POLICY_KINDS
from tests.property.orgs import organizations

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def as_list(value):
    return value if isinstance(value, list) else [value]


@SETTINGS
@given(organizations())
def test_random_organizations_build_deterministically_within_quotas(org):
    text = yaml.safe_dump(org, sort_keys=False)
    first = build_text(text, "org.yaml")
    second = build_text(text, "org.yaml")
    assert first.files == second.files
    for artifact in first.artifacts:
        if artifact.kind not in POLICY_KINDS:
            continue
        limit = LIMITS.get(artifact.kind)
        assert size(artifact.data) <= limit, artifact.path
        for st in artifact.data["Statement"]:
            if st["Effect"] != "Allow":
                continue
            assert "*" not in as_list(st.get("Action", [])), f"{artifact.path} {st['Sid']} allows every action"
            if st.get("Principal") == "*" or "*" in as_list((st.get("Principal") or {}).get("AWS", [])):
                assert st.get("Condition"), f"{artifact.path} {st['Sid']} opens to '*' without a condition"


@SETTINGS
@given(organizations(min_accounts=2, max_accounts=12))
def test_every_declared_cross_account_reader_appears_on_both_sides(org):
    build = build_text(yaml.safe_dump(org, sort_keys=False), "org.yaml")
    ids = {name: spec["id"] for name, spec in org["accounts"].items()}
    for artifact in build.artifacts:
        if artifact.kind != "bucket-policy":
            continue
        for st in artifact.data["Statement"]:
            if st["Effect"] == "Allow":
                for arn in st["Condition"]["ArnEquals"]["aws:PrincipalArn"]:
                    account = arn.split(":")[4]
                    role = arn.split("/")[-1]
                    owner = [n for n, i in ids.items() if i == account][0]
                    identity = [a for a in build.artifacts if a.kind == "identity-policy" and a.account == owner
                                and a.name.startswith(role + "-policy")]
                    assert identity, f"{arn} is admitted by {artifact.path} but has no identity policy"
