"""Data-perimeter posture of a bucket or key, read from its policy: TLS deny, encryption enforced,
vpc_only and its endpoints, organization-only.

The verdicts reuse the data-perimeter rules (DP3xx) run on the one document, and the helpers
they use (`lint.vpc.has_endpoint_deny`); only "encryption enforced" has no rule of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from policygen.lint.vpc import ENDPOINT_KEYS, has_endpoint_deny
from policygen.policydoc.document import PolicyDoc

ENCRYPTION_KEYS = {"s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id"}
ORG_KEYS = {"aws:principalorgid", "aws:principalorgpaths", "aws:resourceorgid", "aws:sourceorgid"}
PROBE = {"bucket": "s3:GetObject", "key": "kms:Decrypt"}


@dataclass(frozen=True)
class Posture:
    tls_deny: bool | None  # None: not applicable (KMS is always TLS)
    encryption: str  # "aws:kms with <key>", "not enforced", "n/a"
    vpc_only: bool
    endpoint_deny: bool
    endpoints: tuple[str, ...]
    org_only: bool
    findings: tuple[str, ...]  # the DP rules that report this document


def posture_of(kind: str, policy: PolicyDoc | None, vpc_only: bool, key_arn: str | None, external: bool,
               dp_rules: list, ctx) -> Posture:
    """external: the access graph has an edge to the resource from outside the organization."""
    hits = tuple(sorted({rule.id for rule in dp_rules if policy is not None and rule.applies(policy)
                         and any(True for _ in rule.check(policy, ctx))}))
    statements = [s for s in (policy.statements if policy is not None else []) if s.ok]
    denies = [s for s in statements if s.effect == "Deny" and s.public]
    endpoints = sorted({str(v) for s in denies for c in s.conditions if c.key.lower() in ENDPOINT_KEYS
                        and c.base.startswith("StringNot") for v in c.values})
    return Posture(
        tls_deny=("DP302" not in hits and policy is not None) if kind == "bucket" else None,
        encryption=_encryption(denies, key_arn) if kind == "bucket" else "n/a",
        vpc_only=vpc_only,
        endpoint_deny=policy is not None and has_endpoint_deny(policy, PROBE[kind], ctx.catalogue),
        endpoints=tuple(endpoints),
        org_only=not external and not ({"DP301", "DP308", "DP311"} & set(hits)),
        findings=hits,
    )


def _encryption(denies, key_arn: str | None) -> str:
    enforced = [c for s in denies if any(a.lower() in ("s3:putobject", "s3:*", "*") for a in s.actions)
                for c in s.conditions if c.key.lower() in ENCRYPTION_KEYS and c.base.startswith("StringNot")
                or (c.base == "Null" and c.key.lower() in ENCRYPTION_KEYS)]
    if not enforced:
        return "not enforced"
    keys = sorted({str(v) for c in enforced if c.key.lower().endswith("key-id") for v in c.values})
    algorithms = sorted({str(v) for c in enforced if c.base != "Null" and c.key.lower() == "s3:x-amz-server-side-encryption"
                         for v in c.values})
    text = "/".join(algorithms) or "encryption"
    if keys:
        text += f" with {', '.join(keys)}"
    elif key_arn:
        text += f" (bucket key {key_arn})"
    return text
