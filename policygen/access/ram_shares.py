"""RAM resource shares as AWS applies them: a resource policy on each shared resource.

A share of a SageMaker feature group or pipeline with a managed permission lets the consumer accounts call the
permission's actions on the shared resource, as a resource-based policy naming the accounts would (RAM user
guide, "Managed permissions"); the consumer's own principals still need identity permissions, as for any
cross-account grant. `share_policies(corpus)` synthesises that policy per shared resource from the corpus's
share documents (a build's `AWS::RAM::ResourceShare` resources or share files), so that the evaluator and
iam-simulate judge RAM uses like every other access. The documents are not linted: they exist on AWS only as
the share's effect.
"""

from __future__ import annotations

import re

from policygen.access.arn import parse_arn
from policygen.generate.ram import PERMISSION_ACTIONS
from policygen.policydoc.corpus import Corpus
from policygen.policydoc.document import RESOURCE, SHARE, PolicyDoc

SHARED = "ram-shared"  # the world's resource kind of a resource whose policy is its RAM shares
_ACCOUNT = re.compile(r"^\d{12}$")


def _principals(values, partition: str) -> list[str]:
    """Account ids become the account root (the account's IAM decides who in it may); IAM ARNs stay. RAM also
    takes organization and OU ARNs, which no policy principal can name: those are left out (nothing is proven
    for them, so nothing is claimed)."""
    out = []
    for value in values if isinstance(values, list) else []:
        value = str(value)
        if _ACCOUNT.match(value):
            out.append(f"arn:{partition}:iam::{value}:root")
        elif value.startswith(f"arn:{partition}:iam::"):
            out.append(value)
    return sorted(set(out))


def _resources(arn: str) -> list[str]:
    """A pipeline's share covers its executions (DescribePipelineExecution and the like authorize on
    pipeline/<name>/execution/<id>)."""
    parts = parse_arn(arn) or {}
    if parts.get("service") == "sagemaker" and str(parts.get("resource", "")).startswith("pipeline/"):
        return [arn, f"{arn}/execution/*"]
    return [arn]


def share_policies(corpus: Corpus) -> list[tuple[str, PolicyDoc]]:
    """(shared resource ARN, its synthesised resource policy), one per resource any share names with a managed
    permission whose actions are known."""
    statements: dict[str, list[dict]] = {}
    origin: dict[str, PolicyDoc] = {}
    for doc in corpus.docs:
        body = doc.body if doc.kind == SHARE and isinstance(doc.body, dict) else None
        if body is None:  # AllowExternalPrincipals only says who may be listed; the listed ones get the same grant
            continue
        actions = sorted({a for p in body.get("PermissionArns") or [] for a in PERMISSION_ACTIONS.get(str(p).rsplit("/", 1)[-1], ())})
        for arn in body.get("ResourceArns") or []:
            arn = str(arn)
            parts = parse_arn(arn)
            principals = _principals(body.get("Principals"), parts["partition"] if parts else "aws")
            if not (actions and principals and parts):
                continue
            sid = re.sub(r"[^A-Za-z0-9]", "", str(body.get("Name") or doc.name or "Share")) or "Share"
            statement = {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principals}, "Action": actions,
                         "Resource": _resources(arn)}
            if statement not in statements.setdefault(arn, []):  # a build's share file and its template say the same
                statements[arn].append(statement)
            origin.setdefault(arn, doc)
    out = []
    for arn, found in sorted(statements.items()):
        first = origin[arn]
        body = {"Version": "2012-10-17", "Statement": found}
        out.append((arn, PolicyDoc(RESOURCE, body, first.location, name=f"ram-shares:{arn}",
                                   account_id=(parse_arn(arn) or {}).get("account") or first.account_id)))
    return out
