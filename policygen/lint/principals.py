"""Whose account a principal value names, as the linter reads templates and plain documents.

`access/arn.py` knows literal ARNs only (twelve digits). Hand-written templates name their own account
as `${AWS::AccountId}` (after intrinsic flattening: `!Ref AWS::AccountId`, `!Sub
'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'`, a `!Join` of both), and other accounts through
parameters (`arn:aws:iam::${TrustedAccount}:root`). Here:

- `OWN` ("${AWS::AccountId}", the marker ingest/intrinsics.py keeps) is the document's own account;
- a literal account equal to the document's account (its template's `Metadata.policygen.account_id`,
  else the one account its resource ARNs name, else, for a key policy, the root its first `kms:*`
  statement names) is the own account too;
- any other account, literal or a parameter, is another account.
"""

from __future__ import annotations

import re

from policygen.ingest.cfn_world import DEFAULT_ACCOUNT
from policygen.ingest.intrinsics import OWN_ACCOUNT as OWN
from policygen.policydoc.document import KEY, PolicyDoc

_PLACEHOLDER = r"\$\{[A-Za-z0-9:._-]+\}"
_ACCOUNT = rf"(?:\d{{12}}|{_PLACEHOLDER})"
_PARTITION = rf"(?:aws|aws-cn|aws-us-gov|aws-iso[a-z-]*|{_PLACEHOLDER})"
_BARE = re.compile(_ACCOUNT)
_PRINCIPAL_ARN = re.compile(rf"arn:{_PARTITION}:(?:iam|sts)::({_ACCOUNT}):(.+)")
_RESOURCE_ACCOUNT = re.compile(r"arn:[^:]*:[^:]*:[^:]*:(\d{12}):")


def account(value: str) -> str | None:
    """The account a principal value names: twelve digits, OWN, or a "${Param}" placeholder; None for "*" or a service."""
    text = str(value)
    if _BARE.fullmatch(text):
        return text
    match = _PRINCIPAL_ARN.fullmatch(text)
    return match.group(1) if match else None


def is_root(value: str) -> bool:
    """A whole account: `111122223333`, `arn:aws:iam::111122223333:root`, or the same with placeholders."""
    text = str(value)
    if _BARE.fullmatch(text):
        return True
    match = _PRINCIPAL_ARN.fullmatch(text)
    return bool(match) and match.group(2) == "root"


def owners(doc: PolicyDoc) -> set[str]:
    """The twelve-digit ids that are the document's own account (empty when nothing says).

    The account the document is known to be in (its template's Metadata, a build's manifest); else
    what the document shows (the one account its resource ARNs name; a key policy's first `kms:*`
    root) and, for a template that does not say its account, the stand-in account reading it put in
    for `AWS::AccountId`.
    """
    if doc.account_id:
        return {doc.account_id}
    found = {_inferred_owner(doc)} - {None}
    if doc.logical_id is not None and doc.account_id is None:
        found.add(DEFAULT_ACCOUNT)
    return found


def owner(doc: PolicyDoc) -> str | None:
    """The document's own account when exactly one is known."""
    found = owners(doc)
    return next(iter(found)) if len(found) == 1 else None


def _inferred_owner(doc: PolicyDoc) -> str | None:
    found = {m.group(1) for s in doc.statements if s.ok for r in s.resources + s.not_resources
             for m in [_RESOURCE_ACCOUNT.match(str(r))] if m}
    if len(found) == 1:
        return found.pop()
    if doc.kind == KEY:  # the key policy's administrator statement names the owner's root first
        for statement in doc.statements:
            if statement.ok and statement.allows and any(a in ("*", "kms:*") for a in statement.actions):
                for value in statement.principal_values("AWS"):
                    if is_root(value):  # the first root named: the owner (None when it is OWN: literal ids are others)
                        return account(value) if (account(value) or "").isdigit() else None
    return None


def is_own(value: str, doc: PolicyDoc) -> bool:
    """The principal is in the document's own account (the template's account, or the owner a plain file shows)."""
    acct = account(value)
    if acct is None:
        return False
    return acct == OWN or acct in owners(doc)


def is_own_root(value: str, doc: PolicyDoc) -> bool:
    return is_root(value) and is_own(value, doc)


def is_other_account(value: str, doc: PolicyDoc) -> bool:
    """A principal of another account: "*", or an account that is not the document's own.

    With no own account known (a plain file that names no resource of its own), every literal account
    counts as another's, as before.
    """
    if value == "*":
        return True
    acct = account(value)
    return acct is not None and not is_own(value, doc)


# Keys that name the caller's (or the calling resource's) account.
ACCOUNT_KEYS = {"aws:principalaccount", "aws:sourceaccount", "aws:sourceowner", "kms:calleraccount"}


def pinned_to_own_account(statement, doc: PolicyDoc) -> bool:
    """A condition admits only the document's own account: `"*"` with StringEquals aws:SourceOwner = own account
    (SNS's default topic policy), aws:PrincipalAccount, or aws:PrincipalArn ARNs of the own account."""
    from policygen.lint.conditions import narrows

    for condition in statement.conditions:
        key = condition.key.lower()
        if key in ACCOUNT_KEYS | {"aws:principalarn"} and narrows(condition, {key}) and \
                all(is_own(str(v), doc) for v in condition.values):
            return True
    return False
