"""Large organizations: managed policies and SCPs are split to fit their quotas, or the build says why not."""

from __future__ import annotations

import json

import pytest
import yaml

from policygen.generate.build import build_text
from policygen.errors import BuildError
from policygen.generate.quotas import LIMITS, size
from tests.conftest import REFERENCE


def reference() -> dict:
    return yaml.safe_load(REFERENCE.read_text())


def test_team_with_many_buckets_gets_several_managed_policies():
    org = reference()
    for i in range(40):
        org["buckets"][f"extra{i}"] = {"name": f"pg-extra-bucket-number-{i:03d}", "account": "dev", "key": "data-key"}
    org["teams"]["team2"]["read"] = sorted(org["buckets"])
    build = build_text(yaml.safe_dump(org, sort_keys=False), "org.yaml")
    parts = [a for a in build.artifacts if a.kind == "identity-policy" and a.name.startswith("SageMakerStudioExecutionRole-team2-policy-")]
    assert len(parts) >= 2
    assert all(size(a.data) <= LIMITS["identity-policy"] for a in parts)
    sids = [s["Sid"] for a in parts for s in a.data["Statement"]]
    assert len(sids) == len(set(sids)), "a statement must land in exactly one part"
    role = json.loads(build.files["roles/dev/SageMakerStudioExecutionRole-team2.json"])
    assert role["Policies"] == [a.name for a in sorted(parts, key=lambda a: a.name)]


def test_large_guardrails_split_into_several_scps():
    org = reference()
    org["guardrails"]["studio_access_from"] = [f"10.{i // 250}.{i % 250}.0/24" for i in range(250)]
    build = build_text(yaml.safe_dump(org, sort_keys=False), "org.yaml")
    scps = [a for a in build.artifacts if a.kind == "scp"]
    assert len(scps) == 2
    assert all(size(a.data) <= LIMITS["scp"] for a in scps)
    assert sorted(a.name for a in scps) == ["ml-platform-guardrails-1", "ml-platform-guardrails-2"]


def test_a_statement_too_large_for_any_scp_is_a_located_build_error():
    org = reference()
    org["guardrails"]["studio_access_from"] = [f"10.{i // 250}.{i % 250}.0/24" for i in range(400)]
    with pytest.raises(BuildError) as info:
        build_text(yaml.safe_dump(org, sort_keys=False), "org.yaml")
    assert "DenyStudioOutsideCorporateNetwork alone exceeds the SCP quota" in str(info.value)
    assert str(info.value).startswith("org.yaml:")


def test_a_statements_kept_size_is_its_compact_json_length():
    """Splitting and the compact encodings measure statements by Statement.compact_size (computed once)
    and lists of them by quotas.statements_size; both must be what quotas.size says of the JSON."""
    from policygen.generate.compile import emit_all
    from policygen.generate.quotas import statements_size
    from policygen.generate.validate import validate_text
    from policygen.model.policy import Statement

    valid = validate_text(REFERENCE.read_text(), "org.yaml")
    documents = emit_all(valid.org, valid.plan).documents
    statements = [st for doc in documents for st in doc.policy.normalised()]
    assert len(statements) > 100
    for st in statements:
        assert st.compact_size() == size(st.to_json()), st.sid
    for doc in documents:
        listed = doc.policy.normalised()
        assert statements_size(listed) == size([st.to_json() for st in listed])
    assert statements_size([]) == size([]) == 2
    unicode = Statement(sid="Unicode", effect="Allow", action=("s3:GetObject",), resource=("arn:aws:s3:::bücket/é",))
    assert unicode.compact_size() == size(unicode.to_json()) == len(json.dumps(unicode.to_json(), separators=(",", ":"),
                                                                               ensure_ascii=False))
