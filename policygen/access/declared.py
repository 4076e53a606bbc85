"""The requests a declared access path makes, with the context the platform gives them."""

from __future__ import annotations

from policygen.access.evaluate import Request
from policygen.access.world import World
from policygen.model.facts import DeclaredAccess

PACKAGE = "<a package of the group>"  # resource marker: a new package version in the target group

# (target kind, level) -> (action, suffix of the resource ARN) that the path needs
PATH_ACTIONS = {
    ("bucket", "read"): [("s3:GetObject", "/*"), ("s3:ListBucket", "")],
    ("bucket", "write"): [("s3:PutObject", "/*"), ("s3:GetObject", "/*")],
    ("bucket", "admin"): [("s3:PutObject", "/*"), ("s3:GetObject", "/*")],
    ("key", "read"): [("kms:Decrypt", "")],
    ("key", "write"): [("kms:Decrypt", ""), ("kms:GenerateDataKey", "")],
    ("key", "admin"): [("kms:Decrypt", ""), ("kms:GenerateDataKey", "")],
    ("repository", "read"): [("ecr:BatchGetImage", ""), ("ecr:GetDownloadUrlForLayer", "")],
    ("repository", "write"): [("ecr:PutImage", ""), ("ecr:BatchGetImage", "")],
    ("model-package-group", "read"): [("sagemaker:DescribeModelPackageGroup", "")],
    # A package is created (and authorized) as model-package/<group>/<version>, not on the group.
    ("model-package-group", "write"): [("sagemaker:CreateModelPackage", PACKAGE), ("sagemaker:DescribeModelPackageGroup", "")],
    ("role", "assume"): [("sts:AssumeRole", "")],
    ("event-bus", "put-events"): [("events:PutEvents", "")],
}
ENDPOINT_OF = {"bucket": "s3", "key": "kms", "repository": "ecr-api", "model-package-group": "sagemaker-api",
               "role": "sts", "event-bus": "events"}


SSE_KMS_KEY_ID = "s3:x-amz-server-side-encryption-aws-kms-key-id"


def path_requests(world: World, access: DeclaredAccess) -> list[Request]:
    """The requests a declared path makes, each of which the platform must allow."""
    out = []
    for action, suffix in PATH_ACTIONS.get((access.target_kind, access.level), []):
        if suffix == PACKAGE:
            resource = access.target.replace(":model-package-group/", ":model-package/", 1) + "/1"
        else:
            resource = access.target + (suffix.replace("*", "policygen-probe") if suffix else "")
        out.append(world.request(access.principal, action, resource, path_context(world, access, action)))
    return out


def unencrypted_uploads(world: World, access: DeclaredAccess) -> list[Request]:
    """The declared path's uploads sent without the SSE-KMS headers: a bucket with a key demands
    them (its policy denies PutObject without), so each of these must be denied."""
    out = []
    bucket = world.resources.get(access.target)
    if access.target_kind != "bucket" or bucket is None or not bucket.key_arn:
        return out
    for request in path_requests(world, access):
        if request.action == "s3:PutObject":
            context = {k: v for k, v in request.context.items() if not k.startswith("s3:x-amz-server-side-encryption")}
            out.append(world.request(request.principal, request.action, request.resource, context))
    return out


def upload_headers(world: World, bucket_arn: str) -> dict:
    """What an S3 client sends on an upload to a bucket encrypted with its KMS key."""
    bucket = world.resource_of(bucket_arn)
    if bucket is None or bucket.kind != "bucket" or not bucket.key_arn:
        return {}
    return {"s3:x-amz-server-side-encryption": "aws:kms", SSE_KMS_KEY_ID: bucket.key_arn}


def forward_access_context(world: World, key_arn: str, account: str) -> dict:
    """S3 calling KMS for the principal (a forward access session, outside any endpoint): the
    service it comes through, the caller's account, and the object's bucket in the encryption
    context (S3 sets kms:EncryptionContext:aws:s3:arn to the bucket's or the object's ARN)."""
    context = {"kms:ViaService": f"s3.{world.facts.home_region or 'us-east-1'}.amazonaws.com",
               "aws:ViaAWSService": "true", "kms:CallerAccount": account}
    buckets = world.buckets_of_key(key_arn)
    if buckets:
        context["kms:EncryptionContext:aws:s3:arn"] = buckets[0]
    return context


def path_context(world: World, access: DeclaredAccess, action: str) -> dict:
    """The context the platform gives a request on a declared path: its VPC endpoint, or S3 calling
    KMS on the principal's behalf; uploads name the bucket's key, as its policy demands."""
    kind = access.target_kind
    account = access.principal.split(":")[4]
    if access.via == "s3":  # outside any endpoint: a forward access session
        return forward_access_context(world, access.target, account)
    endpoint = world.endpoints(account).get(ENDPOINT_OF[kind])
    context = {"aws:SourceVpce": endpoint} if endpoint else {}
    if action == "s3:PutObject":
        context.update(upload_headers(world, access.target))
    return context
