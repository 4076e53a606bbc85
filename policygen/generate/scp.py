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
# Creates whose storage volumes take a customer managed key (sagemaker:VolumeKmsKey, checked by a test).
# Instance types with local NVMe storage encrypt it in hardware and reject a volume key: see docs/guardrails.md.
VOLUME_KEY_ACTIONS = (
    "sagemaker:CreateAutoMLJob", "sagemaker:CreateAutoMLJobV2", "sagemaker:CreateHyperParameterTuningJob",
    "sagemaker:CreateNotebookInstance", "sagemaker:CreateProcessingJob", "sagemaker:CreateTrainingJob",
    "sagemaker:CreateTransformJob",
)
# Global services with endpoints in us-east-1, exempt from the region deny. The IAM user guide example
# (reference_policies_examples_aws_deny-requested-region) lists cloudfront, iam, organizations, route53 and
# support, and names budgets, globalaccelerator, importexport and waf as others to add; sts for its global endpoint.
GLOBAL_SERVICES = (
    "budgets:*", "cloudfront:*", "globalaccelerator:*", "iam:*", "importexport:*", "organizations:*",
    "route53:*", "sts:*", "support:*", "waf:*",
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
            condition={"Null": {"sagemaker:VolumeKmsKey": "true"}}, source=span.get("require_volume_encryption", g.span),
            reason=SCP_RESOURCE,
        ))
    if g.deny_regions_outside_allowed:
        out.append(Statement(
            sid="DenyRegionsOutsideAllowed", effect="Deny", not_action=GLOBAL_SERVICES, resource=("*",),
            condition={"StringNotEquals": {"aws:RequestedRegion": list(org.organization.regions)}},
            source=span.get("deny_regions_outside_allowed", g.span), reason=SCP_RESOURCE,
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
