"""Which actions each access level means, per resource kind.

Every action here is checked against the IAM catalogue by tests/unit/test_actions_exist.py.
Levels are cumulative (`model.levels`): write includes read, admin includes write.
"""

from __future__ import annotations

from policygen.model.levels import levels_upto

# S3: actions on objects (arn:...:bucket/*) and on the bucket itself.
S3_OBJECT = {
    "read": ("s3:GetObject", "s3:GetObjectVersion"),
    "write": ("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
    "admin": ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectTagging", "s3:GetObjectTagging"),
}
S3_BUCKET = {
    "read": ("s3:ListBucket", "s3:GetBucketLocation"),
    "write": ("s3:ListBucketMultipartUploads",),
    "admin": ("s3:ListBucketVersions",),
}
# ACL actions the seed's DenyNoVPC also closes; policygen never grants them.
S3_ACL = ("s3:GetBucketAcl", "s3:GetObjectAcl", "s3:PutBucketAcl", "s3:PutObjectAcl")

# KMS data use. Used through S3 these are the calls S3 makes on the caller's behalf.
KMS_USE = {
    "read": ("kms:Decrypt", "kms:DescribeKey"),
    "write": ("kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"),
    "admin": (),
}
# Key administration, spelled out instead of the console default's wildcards (kms:Create*, ...).
KMS_ADMIN = (
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
    "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListResourceTags",
    "kms:PutKeyPolicy", "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource",
    "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
)

ECR = {
    "read": ("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
    "write": ("ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"),
    "admin": ("ecr:BatchDeleteImage",),
}
ECR_LOGIN = ("ecr:GetAuthorizationToken",)

# Model registry, after seed 001: the group itself, and the packages inside it.
MODEL_PACKAGE_GROUP = {
    "read": ("sagemaker:DescribeModelPackageGroup",),
    "write": (),
    "admin": ("sagemaker:PutModelPackageGroupPolicy", "sagemaker:DeleteModelPackageGroupPolicy"),
}
MODEL_PACKAGE = {
    "read": ("sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"),
    "write": ("sagemaker:CreateModelPackage", "sagemaker:UpdateModelPackage"),
    "admin": ("sagemaker:DeleteModelPackage",),
}

def kms_actions(level: str) -> tuple[str, ...]:
    """Key use up to level; admin adds administration (KMS_USE has no admin-only data actions)."""
    return upto(KMS_USE, "write" if level == "admin" else level) + (KMS_ADMIN if level == "admin" else ())


def upto(table: dict[str, tuple[str, ...]], level: str) -> tuple[str, ...]:
    """All actions of the levels up to and including level."""
    return tuple(sorted({action for name in levels_upto(level) for action in table[name]}))
