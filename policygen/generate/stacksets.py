"""The model-deployment StackSet (seed 003): one template body, deployed into every target."""

from __future__ import annotations

import copy

from policygen.errors import BuildError
from policygen.generate import quotas
from policygen.generate.arns import Arns, logical_id
from policygen.generate.emit import STACKSET_SCOPE, CfnResource
from policygen.model import names


def _parametrise(value, account_id: str):
    """Replace a target's account id by the pseudo parameter, so one body serves every target."""
    if isinstance(value, dict):
        return {k: _parametrise(v, account_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_parametrise(v, account_id) for v in value]
    if isinstance(value, str) and account_id in value:
        if value == account_id:
            return {"Ref": "AWS::AccountId"}
        return {"Fn::Sub": value.replace("${", "${!").replace(account_id, "${AWS::AccountId}")}
    return value


def stackset_resources(arns: Arns, resources: list[CfnResource]) -> dict[str, CfnResource]:
    """The StackSet template's resources: identical for every target once account ids are parametrised."""
    by_id: dict[str, CfnResource] = {}
    for res in resources:
        account = res.scope.split(":", 1)[1]
        generic = copy.copy(res)
        generic.properties = _parametrise(res.properties, arns.account_id(account))
        generic.scope = STACKSET_SCOPE
        prior = by_id.get(res.logical_id)
        if prior is None:
            by_id[res.logical_id] = generic
        elif prior.properties != generic.properties:
            raise BuildError(f"StackSet resource {res.logical_id} differs between targets beyond the account id", res.source)
    return dict(sorted(by_id.items()))


def stackset_resource(arns: Arns, body: str) -> CfnResource:
    d = arns.org.deployment
    if len(body.encode()) > quotas.LIMITS["stackset-template"]:
        raise BuildError(f"the StackSet template is {len(body.encode())} bytes; TemplateBody allows {quotas.LIMITS['stackset-template']}", d.span)
    target_ids = sorted(arns.account_id(t) for t in d.targets)
    properties = {
        "StackSetName": names.MODEL_DEPLOYMENT_STACKSET,
        "Description": f"Deploys the SageMaker model execution role into {', '.join(d.targets)}",
        "Capabilities": ["CAPABILITY_NAMED_IAM"],
        "TemplateBody": body,
        "OperationPreferences": {"FailureToleranceCount": 0, "MaxConcurrentCount": 1},
    }
    depends = ()
    if d.permission_model == "self-managed":
        properties |= {
            "PermissionModel": "SELF_MANAGED",
            "AdministrationRoleARN": {"Fn::GetAtt": [logical_id("role", names.STACKSET_ADMIN_ROLE), "Arn"]},
            "ExecutionRoleName": names.STACKSET_EXECUTION_ROLE,
            "StackInstancesGroup": [{"DeploymentTargets": {"Accounts": target_ids}, "Regions": [arns.region]}],
        }
        depends = (logical_id("role", names.STACKSET_ADMIN_ROLE),)
    else:
        ous = sorted({arns.org.organization.ous[arns.org.accounts[t].ou].id for t in d.targets})
        properties |= {
            "PermissionModel": "SERVICE_MANAGED",
            "AutoDeployment": {"Enabled": False},
            "CallAs": "SELF" if d.stackset_admin == arns.org.organization.management_account else "DELEGATED_ADMIN",
            "StackInstancesGroup": [{
                "DeploymentTargets": {"OrganizationalUnitIds": ous, "Accounts": target_ids, "AccountFilterType": "INTERSECTION"},
                "Regions": [arns.region],
            }],
        }
    return CfnResource(d.stackset_admin, logical_id("stackset", names.MODEL_DEPLOYMENT_STACKSET),
                       "AWS::CloudFormation::StackSet", properties, d.span, depends_on=depends,
                       comment=f"StackSet {names.MODEL_DEPLOYMENT_STACKSET} ({d.permission_model})")
