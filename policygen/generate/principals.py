"""How resource and trust policies name the roles they admit, and how many accounts a condition names.

Enumerated form: roles are admitted as `Principal: {AWS: <account root>}` narrowed by
`ArnEquals: aws:PrincipalArn`. Two reasons, both from how AWS stores policies: a policy
that names a role ARN directly fails to deploy until that role exists (the deployment order
across accounts would then matter), and AWS swaps the ARN for the role's unique id, so a
re-created role silently loses access. The condition form has neither problem and admits
exactly the same roles.

Compact forms (issue 13), for many accounts that hold a role of the same fixed name:
`Principal: {AWS: "*"}` pinned by `aws:PrincipalOrgID`, the role name
(`ArnLike aws:PrincipalArn arn:aws:iam::*:role/<name>`) and the accounts, either as an
`aws:PrincipalAccount` list or, when the accounts are exactly the accounts of some OUs, as
`ForAnyValue:StringLike aws:PrincipalOrgPaths` (`o-id/r-root/ou-.../*`). A role name is
unique within an account, so the three conditions together admit exactly the declared
roles. Per policy the smallest of the forms is used; the enumerated form wins ties, and
`Arns.compact = False` (`policygen build --enumerate`) keeps it everywhere.

Organization paths read the organization file as the complete list of each OU's accounts:
an account moved into such an OU later is admitted too (as a service-managed StackSet
would deploy to it). Files that cannot promise this build with --enumerate, or leave out
`organization.root`, which organization paths need.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from policygen.generate.arns import Arns
from policygen.model.org import Org, RoleRef


def admit_roles(arns: Arns, roles: Iterable[RoleRef]) -> tuple[dict, dict]:
    """One Principal and Condition that admit exactly these roles: the smallest exact form."""
    roles = sorted(set(roles), key=lambda r: (r.account, r.name))
    enumerated = _enumerated(arns, roles)
    if not arns.compact or len(roles) < 2:
        return enumerated
    return min([enumerated, *_compact(arns, roles)], key=_size)  # min keeps the first of equals


def admit_groups(arns: Arns, roles: Iterable[RoleRef], overhead: int) -> list[tuple[dict, dict]]:
    """Principal and Condition of one statement per group of roles; together exactly these roles.

    Roles of one name held in the same accounts form a group that may take a compact form, in a
    statement of its own when that saves more than `overhead` (what another statement costs);
    the other roles stay enumerated in the first statement.
    """
    roles = sorted(set(roles), key=lambda r: (r.account, r.name))
    if not arns.compact or len(roles) < 2:
        return [_enumerated(arns, roles)] if roles else []
    by_name: dict[str, set[str]] = {}
    for r in roles:
        by_name.setdefault(r.name, set()).add(r.account)
    names_by_accounts: dict[frozenset, list[str]] = {}
    for name, accounts in sorted(by_name.items()):
        names_by_accounts.setdefault(frozenset(accounts), []).append(name)
    rest: list[RoleRef] = []
    forms: list[tuple[dict, dict]] = []
    for names in sorted(names_by_accounts.values()):
        members = [r for r in roles if r.name in names]
        enumerated = _enumerated(arns, members)
        best = min([enumerated, *_compact(arns, members)], key=_size)
        if best is not enumerated and _size(enumerated) - _size(best) > overhead:
            forms.append(best)
        else:
            rest += members
    if rest:
        forms.insert(0, _enumerated(arns, sorted(rest, key=lambda r: (r.account, r.name))))
    return forms


def _enumerated(arns: Arns, roles: list[RoleRef]) -> tuple[dict, dict]:
    principal = {"AWS": sorted({arns.root(r.account) for r in roles})}
    condition = {"ArnEquals": {"aws:PrincipalArn": sorted(arns.role(r.account, r.name) for r in roles)}}
    return principal, condition


def _compact(arns: Arns, roles: list[RoleRef]) -> list[tuple[dict, dict]]:
    """The fixed-name forms, when every name is held in the same accounts (else none is exact)."""
    by_name: dict[str, set[str]] = {}
    for r in roles:
        by_name.setdefault(r.name, set()).add(r.account)
    account_sets = {frozenset(a) for a in by_name.values()}
    if len(account_sets) != 1:
        return []
    accounts = next(iter(account_sets))
    pinned = {"ArnLike": {"aws:PrincipalArn": sorted(f"arn:{arns.partition}:iam::*:role/{n}" for n in by_name)}}
    org_id = {"StringEquals": {"aws:PrincipalOrgID": arns.org.organization.id}}
    out = [({"AWS": "*"}, merge_conditions(org_id, pinned, account_condition(arns, accounts, "Principal")))]
    paths = org_paths(arns.org, accounts)
    if paths:
        out.append(({"AWS": "*"}, merge_conditions(org_id, pinned, path_condition(paths, "Principal"))))
    return out


def account_condition(arns: Arns, accounts: Iterable[str], side: str) -> dict:
    """`aws:PrincipalAccount` or `aws:ResourceAccount` (side "Principal" or "Resource") in these accounts."""
    return {"StringEquals": {f"aws:{side}Account": sorted(arns.account_id(a) for a in accounts)}}


def path_condition(paths: list[str], side: str) -> dict:
    """An account in one of these OUs (or below): the documented ForAnyValue:StringLike form."""
    return {"ForAnyValue:StringLike": {f"aws:{side}OrgPaths": [p + "*" for p in paths]}}


def ou_cover(org: Org, accounts: Iterable[str]) -> list[str] | None:
    """The fewest OUs whose accounts (their own and their child OUs') are exactly `accounts`, or None."""
    accounts = frozenset(accounts)
    if not accounts:
        return None
    under = org.accounts_under
    inside = {ou for ou in org.organization.ous if under[ou] and under[ou] <= accounts}
    top = sorted(ou for ou in inside if not set(org.organization.ancestry(ou)[:-1]) & inside)
    covered = frozenset().union(*(under[ou] for ou in top)) if top else frozenset()
    return top if covered == accounts else None


def org_paths(org: Org, accounts: Iterable[str]) -> list[str] | None:
    """Organization paths of OUs whose accounts are exactly `accounts`; None without a root id or such OUs."""
    if org.organization.root is None:
        return None
    top = ou_cover(org, accounts)
    return sorted(org.organization.org_path(ou) for ou in top) if top else None


def merge_conditions(*conditions: dict | None) -> dict:
    out: dict = {}
    for condition in conditions:
        for operator, keys in (condition or {}).items():
            out.setdefault(operator, {}).update(keys)
    return out


def _size(form: tuple[dict, dict]) -> int:
    principal, condition = form
    return len(json.dumps([principal, condition], separators=(",", ":")))
