"""S3 buckets and bucket policies: TLS only, SSE-KMS with the bucket's key, declared readers, DenyNoVPC."""

from __future__ import annotations

from policygen.errors import InputError, Problem
from policygen.generate import actions as A
from policygen.generate.arns import Arns, logical_id
from policygen.generate.emit import CfnResource, Document, Emission
from policygen.generate.plan.model import Access, Plan
from policygen.generate.resource_grants import allow_statements
from policygen.model.org import Bucket
from policygen.model.policy import PolicyDocument, Statement
from policygen.model.kinds import BUCKET

# Every S3 data action policygen can grant, plus the seed's ACL actions: what DenyNoVPC closes.
DATA_ACTIONS = tuple(sorted({a for t in (A.S3_OBJECT, A.S3_BUCKET) for acts in t.values() for a in acts} | set(A.S3_ACL)))


def bucket_policy(arns: Arns, bucket: Bucket, accesses: list[Access]) -> PolicyDocument:
    both = (arns.bucket(bucket.name), arns.objects(bucket.name))
    doc = PolicyDocument()
    doc.add(Statement(
        sid="DenyInsecureTransport", effect="Deny", principal="*", action=("s3:*",), resource=both,
        condition={"Bool": {"aws:SecureTransport": "false"}}, source=bucket.span,
        reason="every S3 action over plain HTTP is refused",
    ))
    doc.add(Statement(
        sid="DenyUploadsNotEncryptedWithKms", effect="Deny", principal="*", action=("s3:PutObject",),
        resource=(arns.objects(bucket.name),),
        condition={"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}},
        source=bucket.span, reason="applies to every object of this bucket",
    ))
    doc.add(Statement(
        sid="DenyUploadsWithAnotherKey", effect="Deny", principal="*", action=("s3:PutObject",),
        resource=(arns.objects(bucket.name),),
        condition={"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": arns.key(bucket.key)}},
        source=bucket.span, reason="applies to every object of this bucket",
    ))
    for st in allow_statements(arns, accesses, "CrossAccount", [
        ("Objects", lambda lvl: A.upto(A.S3_OBJECT, lvl), (arns.objects(bucket.name),)),
        ("Bucket", lambda lvl: A.upto(A.S3_BUCKET, lvl), (arns.bucket(bucket.name),)),
    ], reason="object keys are chosen at write time; the principal condition names each reader"):
        doc.add(st)
    if bucket.vpc_only:
        endpoints = vpc_only_endpoints(arns, bucket.account, accesses, "s3")
        if not endpoints:
            raise InputError(Problem(f"bucket '{bucket.name}' is vpc_only but no account that uses it has an s3 endpoint", bucket.span))
        doc.add(Statement(
            sid="DenyNoVPC", effect="Deny", principal="*", action=DATA_ACTIONS, resource=both,
            condition={"StringNotEquals": {"aws:SourceVpce": endpoints}},
            source=bucket.span, reason="seed 003: data actions on this bucket only through the consumers' S3 endpoints",
        ))
    return doc


def vpc_only_endpoints(arns: Arns, owner: str, accesses: list[Access], service: str) -> list[str]:
    """The owner's endpoint and those of every account whose principals use the resource."""
    accounts = {a.principal.account for a in accesses} | {owner}
    return sorted({arns.org.accounts[a].endpoint(service) for a in accounts} - {None})


def generate_buckets(arns: Arns, plan: Plan) -> Emission:
    out = Emission()
    by_bucket = plan.accesses_to("bucket")
    for bucket in sorted(arns.org.buckets.values(), key=lambda b: b.name):
        policy = bucket_policy(arns, bucket, by_bucket.get((bucket.account, bucket.name), []))
        out.documents.append(Document(BUCKET, bucket.account, bucket.name, policy, bucket.span))
        bucket_id = logical_id("bucket", bucket.name)
        properties = {
            "BucketName": bucket.bucket_name,
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
                "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": arns.key(bucket.key)},
                "BucketKeyEnabled": True,
            }]},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        }
        if bucket.versioning:
            properties["VersioningConfiguration"] = {"Status": "Enabled"}
        if bucket.access_log_bucket:  # server access logs to an existing bucket, one prefix per source bucket
            properties["LoggingConfiguration"] = {"DestinationBucketName": bucket.access_log_bucket,
                                                  "LogFilePrefix": f"{bucket.bucket_name}/"}
        out.resources.append(CfnResource(bucket.account, bucket_id, "AWS::S3::Bucket", properties, bucket.span,
                                         comment=f"bucket {bucket.name}", retain=True))
        out.resources.append(CfnResource(bucket.account, logical_id("bucket", bucket.name, "policy"), "AWS::S3::BucketPolicy",
                                         {"Bucket": {"Ref": bucket_id}, "PolicyDocument": policy.to_json()}, bucket.span))
    return out
