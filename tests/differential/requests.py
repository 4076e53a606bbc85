"""Hypothesis strategies for requests against a World: declared principals and strangers, every
resource kind, actions that are and are not granted, and request contexts that do and do not
satisfy the perimeter conditions."""

from __future__ import annotations

from hypothesis import strategies as st

from policygen.access.declared import path_context
from policygen.access.evaluate import Request
from policygen.access.world import World

ACTIONS = {
    "bucket": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation",
               "s3:PutBucketPolicy", "s3:GetObjectTagging", "s3:AbortMultipartUpload"],
    "key": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:PutKeyPolicy",
            "kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:ReEncryptFrom"],
    "repository": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
                   "ecr:PutImage", "ecr:SetRepositoryPolicy"],
    "model-package-group": ["sagemaker:DescribeModelPackageGroup", "sagemaker:DescribeModelPackage",
                            "sagemaker:ListModelPackages", "sagemaker:CreateModelPackage",
                            "sagemaker:UpdateModelPackage", "sagemaker:DeleteModelPackageGroup"],
    "role": ["sts:AssumeRole", "sts:TagSession"],
    "event-bus": ["events:PutEvents", "events:PutRule"],
}
SERVICES = ["sagemaker.amazonaws.com", "codebuild.amazonaws.com", "lambda.amazonaws.com", "cloudformation.amazonaws.com"]


def resource_arns(world: World, arn: str, kind: str) -> list[str]:
    if kind == "bucket":
        return [arn, arn + "/model.tar.gz", arn + "/data/part-0000.parquet"]
    if kind == "model-package-group":
        group = arn.rsplit("/", 1)[1]
        return [arn, arn.replace(f"model-package-group/{group}", f"model-package/{group}/1")]
    return [arn]


@st.composite
def requests(draw, world: World):
    accounts = sorted(set(world.account_ids.values())) or ["111111111111"]
    principal = draw(st.one_of(
        st.sampled_from(sorted(world.principals)),
        st.sampled_from(sorted(world.principals)),
        st.sampled_from(accounts).map(lambda a: f"arn:aws:iam::{a}:role/SomebodyElse"),
        st.just("arn:aws:iam::999988887777:role/Stranger"),
        st.sampled_from(SERVICES),
    ))
    arn = draw(st.sampled_from(sorted(world.resources)))
    kind = world.resources[arn].kind
    resource = draw(st.sampled_from(resource_arns(world, arn, kind)))
    action = draw(st.sampled_from(ACTIONS[kind]))
    endpoints = sorted({v for eps in (world.facts.endpoints).values() for v in eps.values()})
    context = draw(st.fixed_dictionaries({}, optional={
        "aws:SourceVpce": st.sampled_from(endpoints + ["vpce-0fedcba9876543210"]) if endpoints else st.just("vpce-0fedcba9876543210"),
        "aws:SecureTransport": st.sampled_from(["true", "false"]),
        "aws:ViaAWSService": st.sampled_from(["true", "false"]),
        "kms:ViaService": st.sampled_from(["s3.eu-west-1.amazonaws.com", "sagemaker.eu-west-1.amazonaws.com"]),
        "aws:RequestedRegion": st.sampled_from(["eu-west-1", "us-east-1"]),
        "aws:PrincipalOrgID": st.sampled_from([world.facts.id or "o-a1b2c3d4e5", "o-zzzzzzzzzz"]),
    }))
    return world.request(principal, action, resource, context)


LEVEL_ACTIONS = {
    ("bucket", "read"): [("s3:GetObject", "/model.tar.gz"), ("s3:ListBucket", "")],
    ("bucket", "write"): [("s3:PutObject", "/model.tar.gz"), ("s3:GetObject", "/x"), ("s3:DeleteObject", "/x")],
    ("key", "read"): [("kms:Decrypt", ""), ("kms:DescribeKey", "")],
    ("key", "write"): [("kms:GenerateDataKey", ""), ("kms:Decrypt", "")],
    ("repository", "read"): [("ecr:BatchGetImage", ""), ("ecr:GetDownloadUrlForLayer", "")],
    ("repository", "write"): [("ecr:PutImage", ""), ("ecr:BatchGetImage", "")],
    ("model-package-group", "read"): [("sagemaker:DescribeModelPackageGroup", ""), ("sagemaker:DescribeModelPackage", "/1")],
    ("model-package-group", "write"): [("sagemaker:CreateModelPackage", ""), ("sagemaker:DescribeModelPackageGroup", "")],
    ("role", "assume"): [("sts:AssumeRole", "")],
    ("event-bus", "put-events"): [("events:PutEvents", "")],
}
def declared_request(world: World, access: dict, action: str, suffix: str) -> Request:
    """The request a declared access path makes, with the context the platform gives it."""
    target, kind = access.target, access.target_kind
    resource = target + suffix
    if kind == "model-package-group" and suffix:
        resource = target.replace("model-package-group/", "model-package/") + suffix
    return world.request(access.principal, action, resource, path_context(world, access, action))


@st.composite
def near_declared_requests(draw, world: World):
    """A declared path, as made or with one thing changed: the way real mistakes look."""
    access = draw(st.sampled_from(world.facts.accesses))
    choices = LEVEL_ACTIONS.get((access.target_kind, access.level), [("sts:AssumeRole", "")])
    action, suffix = draw(st.sampled_from(choices))
    request = declared_request(world, access, action, suffix)
    change = draw(st.sampled_from(["none", "none", "no-endpoint", "other-endpoint", "plain-http", "other-org",
                                   "other-principal", "write-instead"]))
    context = dict(request.context)
    principal = request.principal
    if change == "no-endpoint":
        context.pop("aws:SourceVpce", None)
    elif change == "other-endpoint":
        context["aws:SourceVpce"] = "vpce-0fedcba9876543210"
    elif change == "plain-http":
        context["aws:SecureTransport"] = "false"
    elif change == "other-org":
        context["aws:PrincipalOrgID"] = "o-zzzzzzzzzz"
    elif change == "other-principal":
        principal = draw(st.sampled_from(sorted(world.principals)))
        context.pop("aws:PrincipalOrgID", None)
    elif change == "write-instead":
        action = draw(st.sampled_from(ACTIONS[access.target_kind]))
    return world.request(principal, action, request.resource, context)
