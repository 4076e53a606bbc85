"""Stand-alone policy documents: decide which kind of policy a JSON file holds.

A policy's kind is not written in it. We read it from the folder names people
use (".../scps/...", "trust-policy.json"), then from the content: who the
principal is and which service the actions belong to. `--kind` overrides both.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from policygen.policydoc import document as k

PATH_HINTS = (
    (("scp", "scps", "service-control-policy", "service-control-policies"), k.SCP),
    (("rcp", "rcps", "resource-control-policy", "resource-control-policies"), k.RCP),
    (("trust", "trust-policy", "assume-role-policy", "trust-policies"), k.TRUST),
    (("bucket-policy", "bucket-policies"), k.BUCKET),
    (("key-policy", "key-policies"), k.KEY),
    (("repository-policy", "repository-policies"), k.REPOSITORY),
    (("model-package-group-policy",), k.MODEL_PACKAGE_GROUP),
    (("event-bus-policy", "event-bus-policies"), k.EVENT_BUS),
    (("identity-policy", "identity-policies"), k.IDENTITY),
    (("resource-policy", "resource-policies"), k.RESOURCE),
)

# service of the actions -> resource-policy kind, for documents with a Principal
SERVICE_KINDS = {"s3": k.BUCKET, "kms": k.KEY, "ecr": k.REPOSITORY, "events": k.EVENT_BUS, "sagemaker": k.MODEL_PACKAGE_GROUP}
ASSUME_ACTIONS = ("sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity", "sts:tagsession",
                  "sts:setsourceidentity", "sts:setcontext")


def is_policy(data: Any) -> bool:
    return isinstance(data, dict) and "Statement" in data


def is_share(data: Any) -> bool:
    return isinstance(data, dict) and "Statement" not in data and (
        "PermissionArns" in data or "AllowExternalPrincipals" in data)


def kind_from_path(path: str) -> str | None:
    parts = [p.lower() for p in PurePath(path).parts]
    stem = PurePath(path).stem.lower()
    for names, kind in PATH_HINTS:
        if any(p in names for p in parts[:-1]) or any(stem == n or stem.endswith("-" + n) or stem.endswith("." + n) for n in names):
            return kind
    return None


def kind_from_content(data: dict) -> str:
    statements = data.get("Statement")
    statements = [statements] if isinstance(statements, dict) else statements if isinstance(statements, list) else []
    statements = [s for s in statements if isinstance(s, dict)]
    actions = [str(a).lower() for s in statements for a in _list(s.get("Action")) + _list(s.get("NotAction"))]
    with_principal = any("Principal" in s or "NotPrincipal" in s for s in statements)
    if not with_principal:
        # Identity policies rarely deny everything they mention; SCPs mostly do.
        if statements and all(s.get("Effect") == "Deny" for s in statements):
            return k.SCP
        return k.IDENTITY
    if actions and all(a in ASSUME_ACTIONS for a in actions):
        return k.TRUST
    if _is_rcp(statements):
        return k.RCP
    if any("modelpackage" in a for a in actions):
        return k.MODEL_PACKAGE_GROUP
    services = [a.partition(":")[0] for a in actions if ":" in a]
    for service in services:
        if service in SERVICE_KINDS:
            return SERVICE_KINDS[service]
    if any("arn:aws:s3:::" in str(r) for s in statements for r in _list(s.get("Resource"))):
        return k.BUCKET
    # Any other service's resource policy (SQS, SNS, Secrets Manager, Backup, Lambda, Glue, Logs, ...).
    return k.RESOURCE if services else k.TRUST


def _is_rcp(statements: list[dict]) -> bool:
    """An RCP: every statement is for Principal "*" on Resource "*", and it restricts (Deny) or is RCPFullAWSAccess.

    A resource policy names its resource (a bucket policy must), so `Resource: "*"` with `Principal: "*"`
    on every statement, denying, is an organization-wide control, not one resource's policy.
    """
    if not statements:
        return False
    for s in statements:
        if s.get("Principal") != "*" or _list(s.get("Resource")) != ["*"]:
            return False
    return all(s.get("Effect") == "Deny" for s in statements) or (
        len(statements) == 1 and _list(statements[0].get("Action")) == ["*"] and not statements[0].get("Condition"))


def detect_kind(path: str, data: dict) -> str:
    return kind_from_path(path) or kind_from_content(data)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]
