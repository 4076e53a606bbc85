"""A resource with Fn::If gives a document per combination of its conditions (cfn._variants_of);
variants that agree on a policy give it once (cfn._distinct), those that differ give each."""

from __future__ import annotations

from policygen.ingest.cfn import template_docs
from policygen.parse.located import parse

TEMPLATE = """
Parameters:
  Stage: {Type: String}
Conditions:
  Prod: !Equals [!Ref Stage, prod]
Resources:
  Differs:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Description: !If [Prod, a, b]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: !If [Prod, "arn:aws:s3:::p/*", "arn:aws:s3:::d/*"]
  Agrees:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Description: !If [Prod, a, b]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "arn:aws:s3:::x/*"
"""


def test_agreeing_variants_give_one_document_and_differing_ones_each():
    docs, _ = template_docs(parse(TEMPLATE, "t.yaml"), "t.yaml")
    found = sorted((d.name, tuple(d.statements[0].resources)) for d in docs)
    assert found == [("Agrees", ("arn:aws:s3:::x/*",)),
                     ("Differs", ("arn:aws:s3:::d/*",)), ("Differs", ("arn:aws:s3:::p/*",))]
