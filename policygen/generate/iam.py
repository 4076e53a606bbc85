"""IAM roles: trust policy, identity policies (split to fit quotas), CloudFormation resources."""

from __future__ import annotations

from policygen.errors import BuildError
from policygen.generate import quotas
from policygen.generate.arns import Arns, logical_id
from policygen.generate.emit import STACKSET_SCOPE, CfnResource, DataFile, Document, Emission
from policygen.generate.grants import grouped_identity_statements
from policygen.generate.plan.model import Plan, RoleSpec
from policygen.generate.principals import admit_roles
from policygen.model.policy import PolicyDocument, Statement
from policygen.model.kinds import IDENTITY, ROLE, TRUST


# Services that put aws:SourceAccount in the request when they assume a role on a customer's behalf
# (each service's "Cross-service confused deputy prevention" page): their trusts are pinned to the role's
# own account unless the planner chose a narrower condition (aws:SourceArn of a rule, for example).
SOURCE_ACCOUNT_SERVICES = ("cloudformation", "codebuild", "sagemaker")
# Services that set no source key when they assume the role, so a condition would lock them out.
NO_SOURCE_KEY = {
    "lambda": "Lambda sets no aws:SourceAccount or aws:SourceArn when it assumes an execution role (Lambda developer "
              "guide: aws:SourceArn applies only where the function is the target resource); only functions that "
              "name this role, which takes iam:PassRole, run as it",
}


def _service_prefix(principal: str) -> str:
    return principal.split(".", 1)[0]


def trust_document(arns: Arns, role: RoleSpec) -> PolicyDocument:
    doc = PolicyDocument()
    if role.trusted_services and role.trust_conditions is not None:
        doc.add(Statement(sid="TrustService", effect="Allow", action=("sts:AssumeRole",),
                          principal={"Service": role.trusted_services}, condition=role.trust_conditions,
                          source=role.source))
    elif role.trusted_services:
        pinned = tuple(s for s in role.trusted_services if _service_prefix(s) in SOURCE_ACCOUNT_SERVICES)
        other = tuple(s for s in role.trusted_services if s not in pinned)
        if pinned:
            doc.add(Statement(sid="TrustService", effect="Allow", action=("sts:AssumeRole",), principal={"Service": pinned},
                              condition={"StringEquals": {"aws:SourceAccount": arns.account_id(role.account)}},
                              source=role.source))
        if other:
            reasons = sorted({NO_SOURCE_KEY.get(_service_prefix(s), "no documented source condition for this service")
                              for s in other})
            doc.add(Statement(sid="TrustServiceWithoutSourceKey" if pinned else "TrustService", effect="Allow",
                              action=("sts:AssumeRole",), principal={"Service": other}, source=role.source,
                              reason="; ".join(reasons)))
    if role.trusted_roles:
        principal, condition = admit_roles(arns, role.trusted_roles)
        doc.add(Statement(sid="TrustRoles", effect="Allow", action=("sts:AssumeRole",), principal=principal,
                          condition=condition, source=role.source))
    return doc


def identity_document(arns: Arns, plan: Plan, role: RoleSpec) -> PolicyDocument:
    doc = PolicyDocument()
    for statement in grouped_identity_statements(arns, plan.accesses_of(role.ref)):
        doc.add(statement)
    for statement in role.extra_statements:
        doc.add(statement)
    return doc


def split_identity(role: RoleSpec, doc: PolicyDocument, limit: int) -> list[PolicyDocument]:
    statements = doc.normalised()
    if not statements:
        return []
    overhead = quotas.size({"Version": "2012-10-17", "Statement": []})
    for st in statements:
        if st.compact_size() + overhead > limit:
            raise BuildError(f"statement {st.sid} of role {role.name} alone exceeds the {limit}-character policy quota",
                             st.source)
    parts = quotas.pack(statements, lambda st: st.compact_size(), limit, overhead)
    return [PolicyDocument(list(p)) for p in parts]


def _policy_names(role: RoleSpec, count: int) -> list[str]:
    if count == 1:
        return [f"{role.name}-policy"]
    return [f"{role.name}-policy-{i}" for i in range(1, count + 1)]


def generate_roles(arns: Arns, plan: Plan) -> Emission:
    out = Emission()
    for (account, name), role in sorted(plan.roles.items()):
        out.extend(_role(arns, plan, role))
    return out


def _role(arns: Arns, plan: Plan, role: RoleSpec) -> Emission:
    out = Emission()
    trust = trust_document(arns, role)
    if quotas.size(trust.to_json()) > quotas.LIMITS[TRUST]:
        raise BuildError(f"trust policy of {role.name} in {role.account} exceeds {quotas.LIMITS['trust-policy']} characters", role.source)
    identity = identity_document(arns, plan, role)
    if role.in_stackset:
        parts = split_identity(role, identity, quotas.LIMITS["inline-policies"])
        if len(parts) > 1:
            raise BuildError(f"inline policies of {role.name} exceed {quotas.LIMITS['inline-policies']} characters", role.source)
    else:
        parts = split_identity(role, identity, quotas.LIMITS[IDENTITY])
        if len(parts) > quotas.MANAGED_POLICIES_PER_ROLE:
            raise BuildError(f"{role.name} in {role.account} needs {len(parts)} managed policies; "
                             f"the quota is {quotas.MANAGED_POLICIES_PER_ROLE} per role", role.source)
    names = _policy_names(role, len(parts))
    role_id = logical_id("role", role.name)
    out.documents.append(Document(TRUST, role.account, role.name, trust, role.source))
    for name, part in zip(names, parts):
        out.documents.append(Document(IDENTITY, role.account, name, part, role.source))
    properties = {
        "RoleName": role.name,
        "Description": role.description,
        "AssumeRolePolicyDocument": trust.to_json(),
        "MaxSessionDuration": 3600,
    }
    if role.permissions_boundary:
        properties["PermissionsBoundary"] = f"arn:{arns.partition}:iam::{arns.account_id(role.account)}:policy/{role.permissions_boundary}"
    if role.tags:
        properties["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(role.tags.items())]
    if role.in_stackset:
        properties["Policies"] = [{"PolicyName": n, "PolicyDocument": p.to_json()} for n, p in zip(names, parts)]
    scope = f"{STACKSET_SCOPE}:{role.account}" if role.in_stackset else role.account
    out.resources.append(CfnResource(scope, role_id, "AWS::IAM::Role", properties, role.source,
                                     comment=f"{role.name}: {role.description}"))
    if not role.in_stackset:
        for name, part in zip(names, parts):
            out.resources.append(CfnResource(scope, logical_id("policy", name), "AWS::IAM::ManagedPolicy", {
                "ManagedPolicyName": name,
                "Description": f"Permissions of {role.name}, generated by policygen",
                "PolicyDocument": part.to_json(),
                "Roles": [{"Ref": role_id}],
            }, role.source))
    if role.permissions_boundary:
        out.extend(_boundary(role, identity))
    out.files.append(DataFile(ROLE, role.account, role.name, {
        "RoleName": role.name,
        "Arn": arns.role(role.account, role.name),
        "Description": role.description,
        "Tags": dict(sorted(role.tags.items())),
        "TrustPolicy": role.name,
        "Policies": names,
        "PolicyKind": "inline" if role.in_stackset else "managed",
        **({"PermissionsBoundary": role.permissions_boundary} if role.permissions_boundary else {}),
        "DeployedBy": "stackset" if role.in_stackset else "account-template",
    }, role.source))
    return out



def _boundary(role: RoleSpec, identity: PolicyDocument) -> Emission:
    """The role's permissions boundary: a managed policy in its account's template that allows exactly the
    role's own statements. Deployment roles may create or change the role only with this boundary attached,
    so whatever policy they write, the role can do no more than its declared work."""
    out = Emission()
    parts = split_identity(role, identity, quotas.LIMITS[IDENTITY])
    if len(parts) != 1:
        raise BuildError(f"the permissions boundary of {role.name} does not fit one managed policy", role.source)
    [doc] = parts
    name = role.permissions_boundary
    out.documents.append(Document(IDENTITY, role.account, name, doc, role.source))
    out.resources.append(CfnResource(role.account, logical_id("policy", name), "AWS::IAM::ManagedPolicy", {
        "ManagedPolicyName": name,
        "Description": f"Permissions boundary of {role.name}: at most its declared work; generated by policygen",
        "PolicyDocument": doc.to_json(),
    }, role.source, comment=f"{name}: the most {role.name} may ever do"))
    return out
