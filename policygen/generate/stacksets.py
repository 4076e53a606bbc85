"""The model-deployment StackSet (seed 003): one template body, deployed into every target."""

from __future__ import annotations

import copy

from policygen.errors import BuildError
from policygen.generate import quotas
from policygen.generate.arns import Arns, logical_id
from policygen.generate.emit import STACKSET_SCOPE, CfnResource
from policygen.generate.principals import ou_cover
from policygen.model import names


class _Differs(Exception):
    pass


def _generic(values: list, ids: list[str]):
    """One value for every target: literal where the targets agree, the account pseudo parameter
    where they differ only by their own account id. A value that is the same in every target
    (the models bucket ARN, even when a target is the source account) stays literal."""
    first = values[0]
    if all(isinstance(v, dict) for v in values):
        if any(list(v) != list(first) for v in values):
            raise _Differs
        return {k: _generic([v[k] for v in values], ids) for k in first}
    if all(isinstance(v, list) for v in values):
        if any(len(v) != len(first) for v in values):
            raise _Differs
        return [_generic([v[i] for v in values], ids) for i in range(len(first))]
    if all(v == first for v in values):
        return first
    if all(isinstance(v, str) for v in values):
        if all(v == account_id for v, account_id in zip(values, ids)):
            return {"Ref": "AWS::AccountId"}
        templates = {v.replace("${", "${!").replace(account_id, "${AWS::AccountId}") for v, account_id in zip(values, ids)}
        if len(templates) == 1:
            return {"Fn::Sub": templates.pop()}
    raise _Differs


def stackset_resources(arns: Arns, resources: list[CfnResource]) -> dict[str, CfnResource]:
    """The StackSet template's resources: one body that yields each target's own resource."""
    by_id: dict[str, list[CfnResource]] = {}
    for res in sorted(resources, key=lambda r: r.scope):
        by_id.setdefault(res.logical_id, []).append(res)
    out = {}
    for logical, copies in sorted(by_id.items()):
        ids = [arns.account_id(r.scope.split(":", 1)[1]) for r in copies]
        try:
            properties = _generic([r.properties for r in copies], ids)
        except _Differs:
            raise BuildError(f"StackSet resource {logical} differs between targets beyond the account id", copies[0].source) from None
        generic = copy.copy(copies[0])
        generic.properties = properties
        generic.scope = STACKSET_SCOPE
        out[logical] = generic
    return out


DESCRIPTION_LIMIT = 1024  # AWS::CloudFormation::StackSet Description: at most 1,024 characters
TARGETS_SHOWN = 20


def targets_text(arns: Arns) -> str:
    """The targets for a description or comment: their names while few, else a count (and the OUs named)."""
    d = arns.org.deployment
    if len(d.targets) <= TARGETS_SHOWN:
        return ", ".join(d.targets)
    ous = f" (OUs {', '.join(d.target_ous)})" if d.target_ous else ""
    return f"{len(d.targets)} accounts{ous}"


def deployment_targets(arns: Arns) -> dict:
    """Service-managed DeploymentTargets: the OUs whose accounts are exactly the targets when a compact
    build finds them (a StackSet deploys to an OU's child OUs too), else the targets' OUs narrowed to
    the target accounts (AccountFilterType INTERSECTION)."""
    org, d = arns.org, arns.org.deployment
    cover = ou_cover(org, d.targets) if arns.compact else None
    if cover:
        return {"OrganizationalUnitIds": sorted(org.organization.ous[ou].id for ou in cover)}
    target_ids = sorted(arns.account_id(t) for t in d.targets)
    ous = sorted({org.organization.ous[org.accounts[t].ou].id for t in d.targets})
    return {"OrganizationalUnitIds": ous, "Accounts": target_ids, "AccountFilterType": "INTERSECTION"}


def stackset_resource(arns: Arns, body: str) -> CfnResource:
    d = arns.org.deployment
    if len(body.encode()) > quotas.LIMITS["stackset-template"]:
        raise BuildError(f"the StackSet template is {len(body.encode())} bytes; TemplateBody allows {quotas.LIMITS['stackset-template']}", d.span)
    target_ids = sorted(arns.account_id(t) for t in d.targets)
    properties = {
        "StackSetName": names.MODEL_DEPLOYMENT_STACKSET,
        "Description": f"Deploys the SageMaker model execution role into {targets_text(arns)}"[:DESCRIPTION_LIMIT],
        "Capabilities": ["CAPABILITY_NAMED_IAM"],
        "TemplateBody": body,
        "OperationPreferences": {"FailureToleranceCount": 0, "MaxConcurrentCount": 1},
    }
    if d.permission_model == "self-managed":
        properties |= {
            "PermissionModel": "SELF_MANAGED",
            "AdministrationRoleARN": {"Fn::GetAtt": [logical_id("role", names.STACKSET_ADMIN_ROLE), "Arn"]},
            "ExecutionRoleName": names.STACKSET_EXECUTION_ROLE,
            "StackInstancesGroup": [{"DeploymentTargets": {"Accounts": target_ids}, "Regions": [arns.region]}],
        }
    else:
        properties |= {
            "PermissionModel": "SERVICE_MANAGED",
            "AutoDeployment": {"Enabled": False},
            "CallAs": "SELF" if d.stackset_admin == arns.org.organization.management_account else "DELEGATED_ADMIN",
            "StackInstancesGroup": [{"DeploymentTargets": deployment_targets(arns), "Regions": [arns.region]}],
        }
    return CfnResource(d.stackset_admin, logical_id("stackset", names.MODEL_DEPLOYMENT_STACKSET),
                       "AWS::CloudFormation::StackSet", properties, d.span,
                       comment=f"StackSet {names.MODEL_DEPLOYMENT_STACKSET} ({d.permission_model})")
