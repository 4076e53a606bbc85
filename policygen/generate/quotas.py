"""AWS size quotas per policy kind, and how they are measured.

Sources: IAM and STS quotas (managed 6,144, inline total 10,240, trust 2,048, all
in non-whitespace characters); Organizations quotas (SCP 5,120); S3 bucket policy
20 KB; KMS key policy 32 KB; ECR SetRepositoryPolicy policyText max 10,240;
EventBridge event bus policy 10,240 characters; SageMaker
PutModelPackageGroupPolicy ResourcePolicy max 20,480; CloudFormation TemplateBody 51,200 bytes.

CloudFormation quotas on a stack's template: a body passed in the request (CreateStack TemplateBody,
and a StackSet's TemplateBody property) takes at most 51,200 bytes; a template uploaded to S3
(TemplateURL) at most 1 MB; a template declares at most 500 resources.
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
TEMPLATE_BODY_BYTES = 51_200  # inline: TemplateBody
TEMPLATE_URL_BYTES = 1_048_576  # uploaded to S3: TemplateURL
TEMPLATE_RESOURCES = 500
MANAGED_POLICIES_PER_ROLE = 10  # default quota, adjustable to 20
SCPS_PER_TARGET = 5  # including FullAWSAccess, which must stay attached


def size(document: dict) -> int:
    """Characters without whitespace outside strings: how IAM and Organizations count."""
    return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False))


def statements_size(statements) -> int:
    """size([st.to_json() for st in statements]), from each statement's own size: "[", the items with a
    comma between each two, "]"."""
    return 2 + sum(st.compact_size() for st in statements) + max(len(statements) - 1, 0)


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


def template_quota(name: str, body_bytes: int, resources: int) -> tuple[str, str] | None:
    """("warning" or "error", why) for a stack template past a CloudFormation quota, None within them.

    Over 51,200 bytes a template cannot be passed inline but deploys from S3 (a warning: the deployment
    must upload it); over 1 MB, or over 500 resources, it does not deploy at all (an error). Account
    templates are split before they reach 500 (generate/stack_split.py), so the last is a guard.
    """
    if body_bytes > TEMPLATE_URL_BYTES:
        return "error", (f"{name} is {body_bytes:,} bytes; a CloudFormation template takes at most "
                         f"{TEMPLATE_URL_BYTES:,} even from S3 (TemplateURL)")
    if resources > TEMPLATE_RESOURCES:
        return "error", (f"{name} declares {resources:,} resources; CloudFormation takes at most {TEMPLATE_RESOURCES} "
                         "in one stack")
    if body_bytes > TEMPLATE_BODY_BYTES:
        return "warning", (f"{name} is {body_bytes:,} bytes, over the {TEMPLATE_BODY_BYTES:,} a TemplateBody takes inline: "
                           f"deploy it from S3 (TemplateURL, up to {TEMPLATE_URL_BYTES:,})")
    return None
