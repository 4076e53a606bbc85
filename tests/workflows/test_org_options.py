"""The optional org-file fields of issue 11: schema, defaults that keep today's output, and what each emits."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from policygen.cli.main import main
from policygen.errors import InputError
from policygen.generate.build import build_text
from tests.conftest import ROOT

REFERENCE = ROOT / "policygen" / "data" / "reference-org.yaml"


def _org(**changes) -> dict:
    org = yaml.safe_load(REFERENCE.read_text())
    for path, value in changes.items():
        node = org
        *parents, last = path.split("__")
        for p in parents:
            node = node[p]
        node[last] = value
    return org


def _build(org: dict):
    return build_text(yaml.safe_dump(org, sort_keys=False), "org.yaml")


def _template(result, account: str) -> dict:

    return yaml.load(result.files[f"templates/{account}.yaml"], Loader=_CfnLoader)


class _CfnLoader(yaml.SafeLoader):
    pass


_CfnLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def test_schema_knows_the_new_fields(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    org = _org(teams__team1__activities=["ml-jobs", "models"], teams__team1__images=["inference-images"],
               guardrails__break_glass_roles=["BreakGlassAdmin"])
    org["ecr_repositories"]["inference-images"]["encryption"] = "KMS"
    org["buckets"]["data"]["access_log_bucket"] = "org-access-logs-eu-west-1"
    jsonschema.validate(org, schema)
    org["teams"]["team1"]["activities"] = ["domain-admin"]
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(org)), "an unknown activity must be rejected"


def test_defaults_keep_repository_encryption_and_no_access_logging():
    result = _build(_org())
    shared, dev = _template(result, "shared"), _template(result, "dev")
    repo = shared["Resources"]["RepositoryInferenceImages"]["Properties"]
    assert repo["EncryptionConfiguration"] == {"EncryptionType": "AES256"}
    assert "LoggingConfiguration" not in dev["Resources"]["BucketData"]["Properties"]


def test_kms_encryption_and_access_logging_are_emitted():
    org = _org()
    org["ecr_repositories"]["inference-images"]["encryption"] = "KMS"
    org["buckets"]["data"]["access_log_bucket"] = "org-access-logs-eu-west-1"
    result = _build(org)
    repo = _template(result, "shared")["Resources"]["RepositoryInferenceImages"]["Properties"]
    assert repo["EncryptionConfiguration"] == {"EncryptionType": "KMS"}
    logging = _template(result, "dev")["Resources"]["BucketData"]["Properties"]["LoggingConfiguration"]
    assert logging == {"DestinationBucketName": "org-access-logs-eu-west-1", "LogFilePrefix": "sm-mlops-dev-eu-west-1-data/"}


def test_break_glass_roles_are_exempt_from_the_region_guardrail_only():
    org = _org()
    org["guardrails"]["break_glass_roles"] = ["BreakGlassAdmin"]
    scp = json.loads(_build(org).files["scps/ml-platform-guardrails.json"])
    by_sid = {s["Sid"]: s for s in scp["Statement"]}
    assert by_sid["DenyRegionsOutsideAllowed"]["Condition"]["ArnNotLike"] == {
        "aws:PrincipalArn": ["arn:aws:iam::*:role/BreakGlassAdmin"]}
    assert all("ArnNotLike" not in s.get("Condition", {}) for sid, s in by_sid.items() if sid != "DenyRegionsOutsideAllowed")


def test_team_images_must_exist():
    org = _org()
    org["teams"]["team1"]["images"] = ["no-such-repo"]
    with pytest.raises(InputError, match="unknown repository 'no-such-repo'"):
        _build(org)
