"""The requests a declared access path makes, with the context the platform gives them."""

from __future__ import annotations

from policygen.access.evaluate import Request
from policygen.access.world import World

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
    ("model-package-group", "write"): [("sagemaker:CreateModelPackage", ""), ("sagemaker:DescribeModelPackageGroup", "")],
    ("role", "assume"): [("sts:AssumeRole", "")],
    ("event-bus", "put-events"): [("events:PutEvents", "")],
}
ENDPOINT_OF = {"bucket": "s3", "key": "kms", "repository": "ecr-api", "model-package-group": "sagemaker-api",
               "role": "sts", "event-bus": "events"}


def path_requests(world: World, access: dict) -> list[Request]:
    target, kind = access["target"], access["target_kind"]
    account = access["principal"].split(":")[4]
    out = []
    for action, suffix in PATH_ACTIONS.get((kind, access["level"]), []):
        resource = target + (suffix.replace("*", "policygen-probe") if suffix else "")
        if access.get("via") == "s3":  # S3 calls KMS on the principal's behalf, outside any endpoint
            context = {"kms:ViaService": f"s3.{world.facts.get('home_region', 'us-east-1')}.amazonaws.com",
                       "aws:ViaAWSService": "true", "kms:CallerAccount": account}
        else:
            endpoint = world.endpoints(account).get(ENDPOINT_OF[kind])
            context = {"aws:SourceVpce": endpoint} if endpoint else {}
        if action == "s3:PutObject":  # uploads name the bucket's key, as its policy demands
            key = world.resources.get(target)
            if key is not None and key.key_arn:
                context.update({"s3:x-amz-server-side-encryption": "aws:kms",
                                "s3:x-amz-server-side-encryption-aws-kms-key-id": key.key_arn})
        out.append(world.request(access["principal"], action, resource, context))
    return out
