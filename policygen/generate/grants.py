"""Identity-side statements for declared accesses: what the principal's own policy must allow."""

from __future__ import annotations

from policygen.generate import actions as A
from policygen.generate.arns import Arns, sid
from policygen.generate.plan.model import Access
from policygen.model.policy import Statement
from policygen.model.levels import rank


def strongest(accesses: list[Access]) -> list[Access]:
    """One access per (principal, target, via): the highest level wins, the first source is kept."""
    best: dict[tuple, Access] = {}
    for a in accesses:
        key = (a.principal, a.target, a.via)
        if key not in best or rank(a.level) > rank(best[key].level):
            best[key] = a
    return [best[k] for k in sorted(best, key=lambda k: (k[1], k[2] or ""))]


def identity_statements(arns: Arns, access: Access) -> list[Statement]:
    t, level, src = access.target, access.level, access.source
    label = access.level.capitalize()
    if t.kind == "bucket":
        return [
            Statement(sid=sid(label, "objects", t.name), effect="Allow", action=A.upto(A.S3_OBJECT, level),
                      resource=(arns.objects(t.name),), source=src,
                      reason="object keys are chosen at write time; the grant covers this one bucket's objects"),
            Statement(sid=sid(label, "bucket", t.name), effect="Allow", action=A.upto(A.S3_BUCKET, level),
                      resource=(arns.bucket(t.name),), source=src),
        ]
    if t.kind == "key":
        condition = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": [arns.key_alias(t.name)]}}
        if access.via == "s3":
            condition["StringEquals"] = {"kms:ViaService": f"s3.{arns.region}.amazonaws.com"}
        actions = A.kms_actions(level)
        return [Statement(
            sid=sid(label, "key", t.name, "via", access.via) if access.via else sid(label, "key", t.name),
            effect="Allow", action=actions, resource=(arns.keys_in(t.account),), condition=condition, source=src,
            reason="KMS assigns key ids at creation, so the key is pinned by its alias (kms:ResourceAliases)",
        )]
    if t.kind == "repository":
        return [
            Statement(sid=sid(label, "images", t.name), effect="Allow", action=A.upto(A.ECR, level),
                      resource=(arns.repository(t.name),), source=src),
            Statement(sid="GetEcrAuthorizationToken", effect="Allow", action=A.ECR_LOGIN, resource=("*",),
                      source=src, reason="ecr:GetAuthorizationToken supports no resource ARN; it grants no image access by itself"),
        ]
    if t.kind == "model-package-group":
        # CreateModelPackage authorizes on the package it creates (model-package), not on the group
        # (current IAM data): the packages statement below grants it.
        return [
            Statement(sid=sid(label, "group", t.name, "in", t.account), effect="Allow", action=A.upto(A.MODEL_PACKAGE_GROUP, level),
                      resource=(arns.model_package_group(t.account, t.name),), source=src),
            Statement(sid=sid(label, "packages", t.name, "in", t.account), effect="Allow",
                      action=A.upto(A.MODEL_PACKAGE, level), resource=(arns.model_packages(t.account, t.name),),
                      source=src, reason="package versions are numbered at creation; the grant covers one group's packages"),
        ]
    if t.kind == "role":
        return [Statement(sid=sid("assume", t.name, "in", t.account), effect="Allow", action=("sts:AssumeRole",),
                          resource=(arns.role(t.account, t.name),), source=src)]
    if t.kind == "event-bus":
        return [Statement(sid=sid("put", "events", t.name, "in", t.account), effect="Allow", action=("events:PutEvents",),
                          resource=(arns.event_bus(t.account, t.name),), source=src)]
    raise ValueError(f"no identity statements for target kind {t.kind}")
