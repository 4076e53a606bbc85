"""KMS keys, aliases and key policies: root and admins administer, declared users use, DenyNoVPC."""

from __future__ import annotations

from policygen.errors import InputError, Problem
from policygen.generate import actions as A
from policygen.generate.arns import Arns, logical_id
from policygen.generate.emit import CfnResource, Document, Emission
from policygen.generate.grants import strongest
from policygen.generate.plan.model import Access, Plan
from policygen.generate.plan.teams import (VOLUME_KEY_GRANT_ACTIONS, VOLUME_KEY_USE_ACTIONS, team_volume_keys,
                                           volume_key_conditions)
from policygen.model import names
from policygen.generate.principals import admit_groups, admit_roles, merge_conditions
from policygen.generate.quotas import size
from policygen.generate.s3 import vpc_only_endpoints
from policygen.model.org import Key, Org, RoleRef, Team
from policygen.model.policy import PolicyDocument, Statement
from policygen.model.kinds import KEY

# Data actions DenyNoVPC closes; the wildcards cover every variant (GenerateDataKeyWithoutPlaintext, ReEncryptFrom/To).
VPC_DENY_ACTIONS = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*")
KEY_POLICY_RESOURCE = "in a key policy, '*' means this key"


def key_policy(arns: Arns, key: Key, declared: list[Access], volume_users: dict[str, list[Team]] | None = None) -> PolicyDocument:
    """volume_users: volume_key_users(org), which generate_keys computes once for all keys."""
    doc = PolicyDocument()
    doc.add(Statement(
        sid="KeyAdministrationByAccount", effect="Allow", principal={"AWS": [arns.root(key.account)]},
        action=A.KMS_ADMIN, resource=("*",), source=key.span,
        reason=KEY_POLICY_RESOURCE + "; the account keeps administration so the key can never become unmanageable",
    ))
    if key.admins:
        principal, condition = admit_roles(arns, key.admins)
        doc.add(Statement(sid="KeyAdministrators", effect="Allow", principal=principal, condition=condition,
                          action=A.KMS_ADMIN, resource=("*",), source=key.span, reason=KEY_POLICY_RESOURCE))
    groups: dict[tuple[str, str | None], list] = {}
    for a in strongest(declared):
        groups.setdefault((a.level, a.via), []).append(a)
    for (level, via), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        actions = A.kms_actions(level)
        name = f"Use{level.capitalize()}" + (f"Via{via.upper()}" if via else "")
        overhead = size({"Sid": name, "Effect": "Allow", "Action": list(actions), "Resource": "*"})
        for i, (principal, condition) in enumerate(admit_groups(arns, [a.principal for a in group], overhead)):
            if via:
                condition = merge_conditions(condition, {"StringEquals": {"kms:ViaService": f"{via}.{arns.region}.amazonaws.com"}})
            doc.add(Statement(
                sid=name + (str(i) if i else ""), effect="Allow", principal=principal,
                condition=condition, action=actions, resource=("*",), source=group[0].source, reason=KEY_POLICY_RESOURCE,
            ))
    users = volume_key_users(arns.org) if volume_users is None else volume_users
    _volume_key_users(arns, key, doc, users.get(key.name, []))
    if key.vpc_only:
        endpoints = vpc_only_endpoints(arns, key.account, declared, "kms")
        if not endpoints:
            raise InputError(Problem(f"key '{key.name}' is vpc_only but no account that uses it has a kms endpoint", key.span))
        doc.add(Statement(
            sid="DenyNoVPC", effect="Deny", principal="*", action=VPC_DENY_ACTIONS, resource=("*",),
            condition={
                "StringNotEquals": {"aws:SourceVpce": endpoints},
                # S3 decrypts SSE-KMS objects through forward access sessions, which carry no aws:SourceVpce;
                # the S3 request itself already passed the bucket's DenyNoVPC. AWS data-perimeter examples
                # exempt such calls the same way.
                "Bool": {"aws:ViaAWSService": "false"},
            },
            source=key.span, reason=KEY_POLICY_RESOURCE + "; seed 003 DenyNoVPC",
        ))
    return doc


def volume_key_users(org: Org) -> dict[str, list[Team]]:
    """Key name -> the teams whose jobs and endpoints encrypt volumes with it, by team name. One pass over
    the teams for all keys (a pass per key made the keys of a 5,000-account build a tenth of its time)."""
    out: dict[str, list[Team]] = {}
    for team in sorted(org.teams.values(), key=lambda t: t.name):
        for key in team_volume_keys(org, team):
            out.setdefault(key, []).append(team)
    return out


def _volume_key_users(arns: Arns, key: Key, doc: PolicyDocument, teams: list[Team]) -> None:
    """teams: those whose jobs and endpoints encrypt volumes with this key. SageMaker creates the grants and uses
    the key with the team role's permissions, so the key policy names the roles, with the identity side's conditions."""
    if not teams:
        return
    principal, admitted = admit_roles(arns, [RoleRef(t.account, names.team_role(t.name)) for t in teams])
    use, grant = volume_key_conditions(arns)
    source = teams[0].span
    doc.add(Statement(sid="SageMakerVolumeGrants", effect="Allow", principal=principal,
                      condition=merge_conditions(admitted, grant), action=VOLUME_KEY_GRANT_ACTIONS, resource=("*",),
                      source=source, reason=KEY_POLICY_RESOURCE + "; SageMaker creates the volume grants as the team role"))
    doc.add(Statement(sid="SageMakerVolumeUse", effect="Allow", principal=principal,
                      condition=merge_conditions(admitted, use), action=VOLUME_KEY_USE_ACTIONS, resource=("*",),
                      source=source, reason=KEY_POLICY_RESOURCE))


def generate_keys(arns: Arns, plan: Plan) -> Emission:
    out = Emission()
    by_key = plan.accesses_to("key")
    volume_users = volume_key_users(arns.org)
    for key in sorted(arns.org.keys.values(), key=lambda k: k.name):
        policy = key_policy(arns, key, by_key.get((key.account, key.name), []), volume_users)
        out.documents.append(Document(KEY, key.account, key.name, policy, key.span))
        key_id = logical_id("key", key.name)
        out.resources.append(CfnResource(key.account, key_id, "AWS::KMS::Key", {
            "Description": f"policygen key {key.name}",
            "EnableKeyRotation": True,
            "PendingWindowInDays": 30,
            "KeyPolicy": policy.to_json(),
        }, key.span, comment=f"key {key.name}", retain=True))
        out.resources.append(CfnResource(key.account, logical_id("key", key.name, "alias"), "AWS::KMS::Alias", {
            "AliasName": arns.key_alias(key.name),
            "TargetKeyId": {"Ref": key_id},
        }, key.span))
    return out
