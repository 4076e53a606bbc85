"""Secure multi-account model deployment (seed 003)."""

from __future__ import annotations

from policygen.generate.arns import Arns
from policygen.generate.plan.model import Access, Plan, RoleSpec, Target
from policygen.model import names
from policygen.model.org import Org, RoleRef
from policygen.model.policy import Statement

# What a model deployment stack creates in a target account, and nothing else.
DEPLOY_ACTIONS = (
    "sagemaker:AddTags", "sagemaker:CreateEndpoint", "sagemaker:CreateEndpointConfig", "sagemaker:CreateModel",
    "sagemaker:DeleteEndpoint", "sagemaker:DeleteEndpointConfig", "sagemaker:DeleteModel",
    "sagemaker:DescribeEndpoint", "sagemaker:DescribeEndpointConfig", "sagemaker:DescribeModel",
    "sagemaker:UpdateEndpoint",
)
# The StackSet creates the model execution role with an inline policy and a permissions boundary. Every
# action that creates or changes the role takes iam:PermissionsBoundary (Service Authorization Reference) and
# is allowed only while the role carries MODEL_ROLE_BOUNDARY; the others only read or tag it.
BOUNDED_ROLE_ACTIONS = (
    "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy",
)
UNBOUNDED_ROLE_ACTIONS = ("iam:GetRole", "iam:GetRolePolicy", "iam:TagRole", "iam:UntagRole")
MANAGE_ROLE_ACTIONS = BOUNDED_ROLE_ACTIONS + UNBOUNDED_ROLE_ACTIONS
MODEL_ROLE_BOUNDARY = "SageMakerModelExecutionRoleBoundary"
STACK_ACTIONS = (
    "cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
    "cloudformation:DescribeStacks", "cloudformation:GetTemplate", "cloudformation:UpdateStack",
)
# SageMaker hosting in a VPC (required by the require_vpc guardrail) creates ENIs with the execution role.
VPC_ENI_WRITE_ACTIONS = (
    "ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
)
VPC_DESCRIBE_ACTIONS = (
    "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets", "ec2:DescribeVpcs",
)


def plan_deployment(org: Org, arns: Arns, plan: Plan) -> None:
    d = org.deployment
    if d is None:
        return
    self_managed = d.permission_model == "self-managed"
    admin = _admin_role(d, arns, plan) if self_managed else None
    for target in d.targets:
        _model_execution_role(org, arns, plan, target, bounded=self_managed)
        if self_managed:
            _stackset_execution_role(d, arns, plan, target, admin)


def _admin_role(d, arns: Arns, plan: Plan) -> RoleSpec:
    return plan.add_role(RoleSpec(
        account=d.stackset_admin, name=names.STACKSET_ADMIN_ROLE,
        description="StackSet administration role: may only assume the execution role in each deployment target",
        source=d.span, trusted_services=(arns.service("cloudformation"),),
        trust_conditions={"StringEquals": {"aws:SourceAccount": arns.account_id(d.stackset_admin)}},
    ))


def _model_execution_role(org: Org, arns: Arns, plan: Plan, target: str, bounded: bool) -> None:
    """The role SageMaker assumes to serve a model in `target`: reads the artifact, pulls the image,
    writes endpoint logs, and manages the endpoint's network interfaces in the VPC."""
    d = org.deployment
    model_role = plan.add_role(RoleSpec(
        account=target, name=names.MODEL_EXECUTION_ROLE,
        description=f"Assumed by SageMaker to read model artifacts from {d.source} and pull inference images",
        source=d.span, trusted_services=(arns.service("sagemaker"),),
        trust_conditions={"StringEquals": {"aws:SourceAccount": arns.account_id(target)}},
        in_stackset=True, permissions_boundary=MODEL_ROLE_BOUNDARY if bounded else None,
    ))
    source_bucket = Target("bucket", d.source, d.models_bucket)
    images = Target("repository", org.repositories[d.images].account, d.images)
    plan.grant(Access(model_role.ref, source_bucket, "read", d.span, f"models deployed to {target} read their artifacts"))
    plan.grant(Access(model_role.ref, images, "read", d.span, f"models deployed to {target} pull their image"))
    account_id = arns.account_id(target)
    model_role.extra_statements += [
        Statement(
            sid="WriteEndpointLogs", effect="Allow",
            action=("logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"),
            resource=(f"arn:{arns.partition}:logs:{arns.region}:{account_id}:log-group:/aws/sagemaker/Endpoints/*",),
            source=d.span, reason="endpoint names are chosen per deployment; the log-group prefix is SageMaker's",
        ),
        Statement(
            sid="ManageEndpointNetworkInterfaces", effect="Allow", action=VPC_ENI_WRITE_ACTIONS,
            resource=tuple(f"arn:{arns.partition}:ec2:{arns.region}:{account_id}:{kind}/*"
                           for kind in ("network-interface", "security-group", "subnet")),
            source=d.span,
            reason="SageMaker creates the endpoint's network interfaces in the target account; their ids are assigned at creation",
        ),
        Statement(
            sid="DescribeEndpointNetwork", effect="Allow", action=VPC_DESCRIBE_ACTIONS, resource=("*",),
            source=d.span, reason="EC2 Describe* actions accept no resource ARN",
        ),
    ]


def _stackset_execution_role(d, arns: Arns, plan: Plan, target: str, admin: RoleSpec) -> None:
    """The self-managed StackSet's execution role in `target`: deploys models, passes only the model
    execution role, only to SageMaker, and changes that role only within its permissions boundary."""
    exec_role = plan.add_role(RoleSpec(
        account=target, name=names.STACKSET_EXECUTION_ROLE,
        description="StackSet execution role: deploys models and may pass only the model execution role, only to SageMaker",
        source=d.span, trusted_roles=(admin.ref,),
    ))
    plan.grant(Access(admin.ref, Target("role", target, names.STACKSET_EXECUTION_ROLE), "assume", d.span,
                      f"the StackSet in {d.stackset_admin} deploys into {target}"))
    exec_role.extra_statements += _execution_statements(d, arns, target)


def _execution_statements(d, arns: Arns, target: str) -> list[Statement]:
    model_arn = arns.role(target, names.MODEL_EXECUTION_ROLE)
    boundary_arn = boundary_policy_arn(arns, target)
    return [
        Statement(
            sid="PassModelExecutionRoleToSageMaker", effect="Allow", action=("iam:PassRole",),
            resource=(model_arn,),
            condition={"StringEquals": {"iam:PassedToService": arns.service("sagemaker")}},
            source=d.span,
        ),
        Statement(
            sid="ManageModelExecutionRoleWithinBoundary", effect="Allow", action=BOUNDED_ROLE_ACTIONS,
            resource=(model_arn,), condition={"ArnEquals": {"iam:PermissionsBoundary": boundary_arn}},
            source=d.span,
        ),
        Statement(
            sid="ReadAndTagModelExecutionRole", effect="Allow", action=UNBOUNDED_ROLE_ACTIONS, resource=(model_arn,),
            source=d.span,
        ),
        Statement(
            sid="DenyRemovingModelExecutionRoleBoundary", effect="Deny",
            action=("iam:DeleteRolePermissionsBoundary",), resource=(model_arn,), source=d.span,
        ),
        Statement(
            sid="DenyRolesWithoutModelExecutionRoleBoundary", effect="Deny",
            action=("iam:CreateRole", "iam:PutRolePermissionsBoundary"), resource=("*",),
            condition={"ArnNotEquals": {"iam:PermissionsBoundary": boundary_arn}}, source=d.span,
            reason="no role this account's StackSet stacks create or change may carry another boundary, or none",
        ),
        Statement(
            sid="DeployModels", effect="Allow", action=DEPLOY_ACTIONS,
            resource=tuple(arns.sagemaker(target, f"{kind}/*") for kind in ("endpoint", "endpoint-config", "model")),
            source=d.span, reason="model and endpoint names are chosen by each deployment",
        ),
        Statement(
            sid="RunStackSetStacks", effect="Allow", action=STACK_ACTIONS,
            resource=(f"arn:{arns.partition}:cloudformation:{arns.region}:{arns.account_id(target)}:stack/StackSet-{names.MODEL_DEPLOYMENT_STACKSET}-*",),
            source=d.span, reason="StackSets name stack instances StackSet-<name>-<uuid>",
        ),
    ]


def boundary_policy_arn(arns: Arns, account: str) -> str:
    return f"arn:{arns.partition}:iam::{arns.account_id(account)}:policy/{MODEL_ROLE_BOUNDARY}"


def model_execution_role(target: str) -> RoleRef:
    return RoleRef(target, names.MODEL_EXECUTION_ROLE)
