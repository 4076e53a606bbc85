"""How resource and trust policies name the roles they admit.

Roles are admitted as `Principal: {AWS: <account root>}` narrowed by
`ArnEquals: aws:PrincipalArn`. Two reasons, both from how AWS stores policies:
a policy that names a role ARN directly fails to deploy until that role exists
(the deployment order across accounts would then matter), and AWS swaps the ARN
for the role's unique id, so a re-created role silently loses access. The
condition form has neither problem and admits exactly the same roles.
"""

from __future__ import annotations

from collections.abc import Iterable

from policygen.generate.arns import Arns
from policygen.model.org import RoleRef


def admit_roles(arns: Arns, roles: Iterable[RoleRef]) -> tuple[dict, dict]:
    roles = sorted(set(roles), key=lambda r: (r.account, r.name))
    principal = {"AWS": sorted({arns.root(r.account) for r in roles})}
    condition = {"ArnEquals": {"aws:PrincipalArn": sorted(arns.role(r.account, r.name) for r in roles)}}
    return principal, condition


def merge_conditions(*conditions: dict | None) -> dict:
    out: dict = {}
    for condition in conditions:
        for operator, keys in (condition or {}).items():
            out.setdefault(operator, {}).update(keys)
    return out
