from policygen.access.functions import stronger
from policygen.lint.actions import grants
from policygen.lint.conditions import narrows
from policygen.lint.rule import CorpusRule, Rule, hit
from policygen.policydoc.document import IDENTITY
from policygen.policydoc.match import resource_matches

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
LAMBDA_CODE = "lambda:UpdateFunctionCode"


class EscalationPath(CorpusRule):
    """The policy grants a privilege-escalation primitive on a named resource, without a permissions boundary.

    **Anti-pattern**: `iam:PutRolePolicy` (or `AttachRolePolicy`, `UpdateAssumeRolePolicy`,
    `PutRolePermissionsBoundary`, `DeleteRolePermissionsBoundary`) on a role, the holder's own role
    included; `iam:CreatePolicyVersion` / `SetDefaultPolicyVersion` on a managed policy;
    `lambda:UpdateFunctionCode` of a function that runs as a stronger role than the holder's (the templates
    read together say which role); `sts:AssumeRole` of `OrganizationAccountAccessRole`. The holder can write
    itself (or a role it can use) any permission, so the policy's other limits mean nothing. Replacing the
    code of a function whose role is weaker gains nothing, and is not reported; a function no template
    declares may run as any role (LP109 reports the wildcard grants that reach such functions).

    **Best practice**: keep these actions to deployment roles, and require a permissions boundary on every
    role they create or change (`ArnEquals: iam:PermissionsBoundary: <boundary ARN>`), with
    `iam:DeleteRolePermissionsBoundary` denied; never grant them on the holder's own role.
    """

    id = "LP117"
    severity = "error"
    summary = "Privilege-escalation primitive without a permissions boundary"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"
    kinds = frozenset({IDENTITY})

    # A corpus rule so that the access world (which function runs as which role) is built for it; it still
    # checks one document at a time and has no cross-document findings of its own.
    def applies(self, doc):
        return Rule.applies(self, doc)

    def check_statement(self, statement, doc, ctx):
        if not statement.allows:
            return
        bounded = any(narrows(c, BOUNDED_BY) for c in statement.conditions)
        for action in REWRITE:
            value = grants(statement, ctx.catalogue, action)
            if value is None or (bounded and action.lower() not in NEVER_BOUNDED):
                continue
            if action == LAMBDA_CODE:
                found = _stronger_functions(statement, doc, ctx)
                if found:
                    function, role = found
                    yield hit(statement, f"'{value}' grants {action} on {function}, which runs as {role}, a role that may "
                                         f"do more than the holder: the holder can run its own code as that role", node=value)
                    return
                continue
            yield hit(statement, f"'{value}' grants {action} on {', '.join(map(str, statement.resources)) or 'any resource'} "
                                 f"without a required permissions boundary: the holder can give itself any permission",
                      node=value)
            return
        if grants(statement, ctx.catalogue, "sts:AssumeRole") is not None:
            for resource in statement.resources:
                if str(resource).lower().endswith(ORG_ACCESS_ROLE):
                    yield hit(statement, f"sts:AssumeRole of {resource}: the account's administrator role", node=resource)


def _holders(doc, world) -> list[str]:
    """The roles whose policies include this document (a template's Fn::If variant is a copy: same place)."""
    where = (doc.account_id, doc.name, doc.location)
    return [p.arn for p in world.principals.values()
            if any(d is doc or (d.account_id, d.name, d.location) == where for d in p.identity)]


def _stronger_functions(statement, doc, ctx) -> tuple[str, str] | None:
    """A function the statement reaches whose role may do more than a holder of the document (or than a document
    nobody holds), among the functions the templates read together declare."""
    world = ctx.world
    if world is None:
        return None
    holders = _holders(doc, world) or [None]
    for function, role in sorted(world.functions.items()):
        if not any(resource_matches(str(r), function, {}) for r in statement.resources):
            continue
        if any(role != holder and stronger(world, role, holder) for holder in holders):
            return function, role
    return None


RULE = EscalationPath()
