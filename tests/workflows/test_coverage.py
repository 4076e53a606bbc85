"""Point 4 of issue 11: every action of every generated Allow is used by a workflow call or carries a written
reason; the manifest records, per role, what is granted, used and reasoned."""

from __future__ import annotations

import json

import yaml
from hypothesis import HealthCheck, given, settings

from policygen.generate.coverage import coverage
from policygen.generate.workflows import Call
from policygen.generate.build import build_text
from tests.conftest import ROOT
from tests.property.orgs import organizations

MANIFEST = json.loads((ROOT / "out" / "manifest.json").read_text())


def test_reference_build_has_no_unused_grant():
    rows = MANIFEST["coverage"]
    roles = {a["name"] for a in MANIFEST["artifacts"] if a["kind"] == "iam-role"}
    assert {r["role"].rsplit("/", 1)[-1] for r in rows} == roles
    for row in rows:
        assert row["unused"] == [], row["role"]
        reasoned = {k.split(" on ")[0].lower() for k in row["reasoned"]}
        assert {a.lower() for a in row["granted"]} == {a.lower() for a in row["used"]} | reasoned, row["role"]
        assert all(len(reason) > 40 for reason in row["reasoned"].values())
    assert sum(len(r["used"]) for r in rows) > 200


def test_an_unused_grant_is_reported():
    role = "arn:aws:iam::111111111111:role/r"
    statements = [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteBucket"], "Resource": "arn:aws:s3:::b/*"}]
    call = Call("w", role, "s3:GetObject", "arn:aws:s3:::b/key", {})
    [row] = coverage({role: statements}, [call], reasons={})
    assert row["used"] == ["s3:GetObject"] and row["unused"] == ["s3:DeleteBucket"]
    # a call on a resource the statement does not name does not count
    elsewhere = Call("w", role, "s3:GetObject", "arn:aws:s3:::other/key", {})
    [row] = coverage({role: statements}, [elsewhere], reasons={})
    assert "s3:GetObject" in row["unused"]
    # a denied variant is not use
    [row] = coverage({role: statements}, [Call("w", role, "s3:GetObject", "arn:aws:s3:::b/key", {}, "deny")], reasons={})
    assert "s3:GetObject" in row["unused"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(organizations(max_accounts=8))
def test_random_organizations_have_no_unused_grant(org):
    built = build_text(yaml.safe_dump(org, sort_keys=False), "random-org.yaml")
    unused = {(r["role"], a) for r in json.loads(built.files["manifest.json"])["coverage"] for a in r["unused"]}
    assert unused == set()
