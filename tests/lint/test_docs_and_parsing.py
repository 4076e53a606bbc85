"""docs/rules.md is generated from the rules; the located parsers keep lines; ARN matching."""

from __future__ import annotations

from policygen.access.arn import could_match
from policygen.lint import meta
from policygen.lint.engine import load_rules
from policygen.ingest.intrinsics import flatten
from policygen.parse.located import parse
from policygen.report.rules_doc import rules_markdown
from tests.conftest import ROOT


def test_rules_doc_is_fresh():
    expected = rules_markdown(load_rules(), meta.META_RULES)
    assert (ROOT / "docs" / "rules.md").read_text() == expected, "run: policygen rules --markdown > docs/rules.md"


def test_json_values_know_their_lines():
    doc = parse('{\n  "Statement": [\n    {\n      "Action": [\n        "s3:GetObject"\n      ]\n    }\n  ]\n}\n', "p.json")
    statement = doc["Statement"][0]
    assert doc.line == 1 and statement.line == 3 and statement["Action"].line == 4
    assert statement["Action"][0].line == 5 and statement.line_of("Action") == 4


def test_yaml_short_form_intrinsics():
    doc = parse("A: !Sub 'arn:${AWS::Partition}:s3:::b'\nB: !GetAtt Key.Arn\nC: !Join ['', [a, !Ref X]]\nD: !If [c, x, y]\n", "t.yaml")
    flat = flatten(doc)
    assert flat["A"] == "arn:${AWS::Partition}:s3:::b" and flat["A"].line == 1
    assert flat["B"] == "${Key.Arn}" and flat["C"] == "a${X}" and flat["D"] == "${?}"


def test_arn_matching_respects_resource_types():
    bucket = "arn:${Partition}:s3:::${BucketName}"
    obj = "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    assert could_match(bucket, "arn:aws:s3:::b") and not could_match(bucket, "arn:aws:s3:::b/*")
    assert could_match(obj, "arn:aws:s3:::b/*") and not could_match(obj, "arn:aws:s3:::b")
    assert could_match(obj, "arn:aws:s3:::*") and could_match(bucket, "${Bucket.Arn}")
    key = "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}"
    assert could_match(key, "arn:aws:kms:eu-west-1:111111111111:key/*") and not could_match(key, "arn:aws:kms:*:*:alias/x")
