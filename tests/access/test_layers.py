"""Where the evaluator's layers come from (issue 10 point 2, issue 13 point 3): RCPs, permissions
boundaries, VPC endpoint policies and principal tags read from inputs; the organization keys the
World fills in; uploads with and without the bucket key's headers; S3's calls to KMS."""

from __future__ import annotations

import json
import textwrap
from dataclasses import replace

from policygen.access.declared import path_requests, unencrypted_uploads
from policygen.access.evaluate import evaluate
from policygen.access.graph import build_graph
from policygen.access.world import world_from
from policygen.iamdb import load
from policygen.ingest.collect import collect
from policygen.model.kinds import ENDPOINT, RCP
from tests.conftest import ROOT

OUT_WORLD = world_from(collect([str(ROOT / "out")]))
TEAM1 = "arn:aws:iam::444444444444:role/SageMakerStudioExecutionRole-team1"
MODELS_BUCKET = "arn:aws:s3:::sm-mlops-dev-eu-west-1-models"

TEMPLATE = textwrap.dedent("""\
    AWSTemplateFormatVersion: "2010-09-09"
    Metadata:
      policygen: {account_id: "444444444444", region: eu-west-1}
    Resources:
      Boundary:
        Type: AWS::IAM::ManagedPolicy
        Properties:
          ManagedPolicyName: team-boundary
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: "s3:*", Resource: "*"}
      AppRole:
        Type: AWS::IAM::Role
        Properties:
          RoleName: app
          PermissionsBoundary: !Ref Boundary
          Tags:
            - {Key: Team, Value: blue}
          AssumeRolePolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Principal: {Service: sagemaker.amazonaws.com}, Action: sts:AssumeRole}
          Policies:
            - PolicyName: everything
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - {Effect: Allow, Action: "*", Resource: "*"}
      S3Endpoint:
        Type: AWS::EC2::VPCEndpoint
        Metadata:
          policygen: {id: vpce-0123456789abcdef0}
        Properties:
          ServiceName: com.amazonaws.eu-west-1.s3
          VpcId: vpc-1
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}
      OrgOnly:
        Type: AWS::Organizations::Policy
        Properties:
          Name: org-only
          Type: RESOURCE_CONTROL_POLICY
          TargetIds: [r-ab12]
          Content:
            Version: "2012-10-17"
            Statement:
              - Effect: Deny
                Principal: "*"
                Action: "s3:*"
                Resource: "*"
                Condition: {StringNotEqualsIfExists: {aws:PrincipalOrgID: o-a1b2c3d4e5}}
    """)
APP = "arn:aws:iam::444444444444:role/app"


def test_a_template_gives_boundary_tags_endpoint_policy_and_rcp(tmp_path):
    (tmp_path / "app.yaml").write_text(TEMPLATE)
    corpus = collect([str(tmp_path)])
    assert {d.kind for d in corpus.docs} >= {RCP, ENDPOINT}
    world = world_from(corpus)
    app = world.principals[APP]
    assert app.boundary is not None and app.boundary.name == "Boundary"
    assert app.tags == {"Team": "blue"}
    assert world.endpoint_policies["vpce-0123456789abcdef0"].kind == ENDPOINT
    assert [d.declared.targets for d in world.rcps] == [("r-ab12",)]
    # The boundary caps the identity policy's "*": KMS is out, S3 in.
    kms = world.request(APP, "kms:Decrypt", "arn:aws:kms:eu-west-1:444444444444:key/k")
    assert evaluate(kms, world.inputs(kms)).reason == "the permissions boundary does not allow it"
    asked = world.request(APP, "s3:GetObject", "arn:aws:s3:::b/k")
    assert asked.context["aws:PrincipalTag/Team"] == "blue"
    s3 = replace(asked, resource_account="444444444444")  # an S3 ARN names no owner: say it is the role's
    assert evaluate(s3, world.inputs(s3)).allowed
    # Through the endpoint, only what its policy allows.
    for action, allowed in (("s3:GetObject", True), ("s3:PutObject", False)):
        through = replace(world.request(APP, action, "arn:aws:s3:::b/k", {"aws:SourceVpce": "vpce-0123456789abcdef0"}),
                          resource_account="444444444444")
        decision = evaluate(through, world.inputs(through))
        assert decision.allowed is allowed and "endpoint" in {layer.name for layer in decision.layers}


def test_an_rcp_file_is_read_as_an_rcp(tmp_path):
    (tmp_path / "rcps").mkdir()
    (tmp_path / "rcps" / "org-only.json").write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}))
    assert [d.kind for d in collect([str(tmp_path)]).docs] == [RCP]


def _with_rcp(world, statement, **declared):
    from policygen.model.finding import Location
    from policygen.policydoc.document import PolicyDoc

    from policygen.model.facts import ResourceFacts

    world.rcps = [PolicyDoc(RCP, {"Version": "2012-10-17", "Statement": [statement]}, Location("rcp.json", 1),
                            name="rcp", declared=ResourceFacts(targets=tuple(declared.get("targets", ()))))]
    world.__dict__.pop("_rcp_levels", None)
    return world


def test_rcps_apply_to_supported_services_of_member_accounts_only():
    world = _with_rcp(world_from(collect([str(ROOT / "out")])),
                      {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"})
    s3 = world.request(TEAM1, "s3:GetObject", MODELS_BUCKET + "/x")
    assert len(world.inputs(s3).rcp_levels) == 3 and not evaluate(s3, world.inputs(s3)).allowed
    group = world.request(TEAM1, "sagemaker:DescribeModelPackageGroup",
                          "arn:aws:sagemaker:eu-west-1:222222222222:model-package-group/churn-model")
    assert world.inputs(group).rcp_levels == []  # SageMaker does not support RCPs
    management = world.request(TEAM1, "s3:GetObject", "arn:aws:s3:::b/x")
    assert world.inputs(management).rcp_levels == []  # no known owner: no RCP is assumed
    linked = world.request("arn:aws:iam::444444444444:role/aws-service-role/sagemaker.amazonaws.com/AWSServiceRoleForAmazonSageMaker",
                           "s3:GetObject", MODELS_BUCKET + "/x")
    assert world.inputs(linked).rcp_levels == [] and world.inputs(linked).scp_levels == []


def test_rcp_targets_pick_the_level():
    world = _with_rcp(world_from(collect([str(ROOT / "out")])),
                      {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}, targets=["ml-prod"])
    dev = world.request(TEAM1, "s3:GetObject", MODELS_BUCKET + "/x")  # dev is not in ml-prod
    assert [[d.name for d in level] for level in world.inputs(dev).rcp_levels] == [["RCPFullAWSAccess"]] * 3
    assert world.inputs(dev).rcp_names == ["root", "OU ml-dev (ou-ab12-11111111)", "account dev (444444444444)"]
    prod = world.request(TEAM1, "sts:AssumeRole", "arn:aws:iam::666666666666:role/SageMakerModelExecutionRole")
    names = [[d.name for d in level] for level in world.inputs(prod).rcp_levels]
    assert names == [["RCPFullAWSAccess"], ["RCPFullAWSAccess", "rcp"], ["RCPFullAWSAccess"]]


def test_organization_keys_are_filled_from_the_facts():
    request = OUT_WORLD.request(TEAM1, "s3:GetObject", MODELS_BUCKET + "/x")
    assert OUT_WORLD.org_path("444444444444") == "o-a1b2c3d4e5/r-?/ou-ab12-11111111/"
    assert request.context["aws:PrincipalOrgPaths"] == ["o-a1b2c3d4e5/r-?/ou-ab12-11111111/"]
    assert request.context["aws:ResourceOrgPaths"] == ["o-a1b2c3d4e5/r-?/ou-ab12-11111111/"]
    assert request.context["aws:ResourceOrgID"] == "o-a1b2c3d4e5"
    assert request.context["aws:ResourceAccount"] == "444444444444"
    assert request.context["aws:PrincipalAccount"] == "444444444444"
    assert request.context["aws:PrincipalTag/Team"] == "team1"
    stranger = OUT_WORLD.request("arn:aws:iam::999988887777:role/x", "s3:GetObject", MODELS_BUCKET + "/x")
    assert "aws:PrincipalOrgPaths" not in stranger.context and stranger.context["aws:ResourceOrgID"] == "o-a1b2c3d4e5"


def test_declared_uploads_need_their_headers():
    """PutObject with the bucket key's SSE-KMS headers is allowed; without them, denied."""
    writes = [a for a in OUT_WORLD.facts.accesses if a.target_kind == "bucket" and a.level == "write"]
    assert writes
    for access in writes:
        uploads = [r for r in path_requests(OUT_WORLD, access) if r.action == "s3:PutObject"]
        assert uploads and all(r.context["s3:x-amz-server-side-encryption"] == "aws:kms" for r in uploads)
        assert all(evaluate(r, OUT_WORLD.inputs(r)).allowed for r in uploads)
        bare = unencrypted_uploads(OUT_WORLD, access)
        assert bare and all(evaluate(r, OUT_WORLD.inputs(r)).result == "explicit-deny" for r in bare)


def test_the_graph_shows_putobject_on_the_declared_upload_paths():
    edges = build_graph(OUT_WORLD, load())
    writes = [e for e in edges if e.resource == MODELS_BUCKET and e.level == "write"]
    assert any(e.principal == TEAM1 and "s3:PutObject" in e.actions for e in writes)


def test_s3_calls_kms_with_the_bucket_in_the_encryption_context():
    keyed = [a for a in OUT_WORLD.facts.accesses if a.via == "s3"]
    assert keyed
    for access in keyed:
        for request in path_requests(OUT_WORLD, access):
            assert request.context["aws:ViaAWSService"] == "true"
            assert request.context["kms:EncryptionContext:aws:s3:arn"].startswith("arn:aws:s3:::")
            assert evaluate(request, OUT_WORLD.inputs(request)).allowed
