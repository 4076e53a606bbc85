"""AWS size quotas per policy kind, and how they are measured.

Sources: IAM and STS quotas (managed 6,144, inline total 10,240, trust 2,048, all
in non-whitespace characters); Organizations quotas (SCP 5,120); S3 bucket policy
20 KB; KMS key policy 32 KB; ECR SetRepositoryPolicy policyText max 10,240;
EventBridge event bus policy 10,240 characters; SageMaker
PutModelPackageGroupPolicy ResourcePolicy max 20,480; CloudFormation TemplateBody 51,200 bytes.
"""

from __future__ import annotations

import json
from policygen.model.kinds import BUCKET, EVENT_BUS, IDENTITY, KEY, MODEL_PACKAGE_GROUP, REPOSITORY, SCP, TRUST

LIMITS = {
    IDENTITY: 6144,
    "inline-policies": 10240,
    TRUST: 2048,
    SCP: 5120,
    BUCKET: 20480,
    KEY: 32768,
    REPOSITORY: 10240,
    EVENT_BUS: 10240,
    MODEL_PACKAGE_GROUP: 20480,
    "stackset-template": 51200,
}
MANAGED_POLICIES_PER_ROLE = 10  # default quota, adjustable to 20
SCPS_PER_TARGET = 5  # including FullAWSAccess, which must stay attached


def size(document: dict) -> int:
    """Characters without whitespace outside strings: how IAM and Organizations count."""
    return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False))


def pack(items: list, item_size, limit: int, overhead: int) -> list[list]:
    """Greedy first-fit in the given order: deterministic, and keeps related statements together."""
    parts: list[list] = []
    sizes: list[int] = []
    for item in items:
        n = item_size(item) + 1  # the comma between statements
        for i, used in enumerate(sizes):
            if used + n <= limit:
                parts[i].append(item)
                sizes[i] += n
                break
        else:
            parts.append([item])
            sizes.append(overhead + n)
    return parts
