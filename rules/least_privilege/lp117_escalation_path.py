from policygen.lint.actions import grants
from policygen.lint.conditions import narrows
from policygen.lint.rule import Rule, hit
from policygen.policydoc.document import IDENTITY

# Primitives that rewrite what a principal may do (policygen.access.escalation has the engine-side proof).
# LP109 reports them on wildcard resources; this rule reports them on any resource, named roles and the
# holder's own role included, unless the grant requires a permissions boundary.
REWRITE = (
    "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:PutRolePolicy", "iam:AttachRolePolicy",
    "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
    "lambda:UpdateFunctionCode",
)
BOUNDED_BY = {"iam:permissionsboundary"}
# Removing a boundary takes the boundary away; requiring one on the call does not bound the result.
NEVER_BOUNDED = {"iam:deleterolepermissionsboundary", "iam:createpolicyversion", "iam:setdefaultpolicyversion",
                 "lambda:updatefunctioncode"}
ORG_ACCESS_ROLE = "role/organizationaccountaccessrole"


class EscalationPath(Rule):
    """The policy grants a privilege-escalation primitive on a named resource, without a permissions boundary.

    **Anti-pattern**: `iam:PutRolePolicy` (or `AttachRolePolicy`, `UpdateAssumeRolePolicy`,
    `PutRolePermissionsBoundary`, `DeleteRolePermissionsBoundary`) on a role, the holder's own role
    included; `iam:CreatePolicyVersion` / `SetDefaultPolicyVersion` on a managed policy;
    `lambda:UpdateFunctionCode`; `sts:AssumeRole` of `OrganizationAccountAccessRole`. The holder can write
    itself (or a role it can use) any permission, so the policy's other limits mean nothing.

    **Best practice**: keep these actions to deployment roles, and require a permissions boundary on every
    role they create or change (`ArnEquals: iam:PermissionsBoundary: <boundary ARN>`), with
    `iam:DeleteRolePermissionsBoundary` denied; never grant them on the holder's own role.
    """

    id = "LP117"
    severity = "error"
    summary = "Privilege-escalation primitive without a permissions boundary"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"
    kinds = frozenset({IDENTITY})

    def check_statement(self, statement, doc, ctx):
        if not statement.allows:
            return
        bounded = any(narrows(c, BOUNDED_BY) for c in statement.conditions)
        for action in REWRITE:
            value = grants(statement, ctx.catalogue, action)
            if value is None or (bounded and action.lower() not in NEVER_BOUNDED):
                continue
            yield hit(statement, f"'{value}' grants {action} on {', '.join(map(str, statement.resources)) or 'any resource'} "
                                 f"without a required permissions boundary: the holder can give itself any permission",
                      node=value)
            return
        if grants(statement, ctx.catalogue, "sts:AssumeRole") is not None:
            for resource in statement.resources:
                if str(resource).lower().endswith(ORG_ACCESS_ROLE):
                    yield hit(statement, f"sts:AssumeRole of {resource}: the account's administrator role", node=resource)


RULE = EscalationPath()
