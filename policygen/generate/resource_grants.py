"""Resource-side Allow statements for declared cross-account accesses, grouped by level."""

from __future__ import annotations

from collections.abc import Callable

from policygen.generate.arns import Arns, sid
from policygen.generate.grants import strongest
from policygen.generate.plan.model import Access
from policygen.generate.principals import admit_groups, merge_conditions
from policygen.generate.quotas import size
from policygen.model.policy import Statement


def by_level(accesses: list[Access], *, cross_account_only: bool = True) -> dict[str, list[Access]]:
    out: dict[str, list[Access]] = {}
    for a in strongest(accesses):
        if cross_account_only and not a.cross_account:
            continue
        out.setdefault(a.level, []).append(a)
    return dict(sorted(out.items()))


def allow_statements(
    arns: Arns,
    accesses: list[Access],
    prefix: str,
    parts: list[tuple[str, Callable[[str], tuple[str, ...]], tuple[str, ...]]],
    *,
    cross_account_only: bool = True,
    extra_condition: dict | None = None,
    reason: str | None = None,
) -> list[Statement]:
    """One Allow per (level, part): parts are (label, level -> actions, resources)."""
    out = []
    for level, group in by_level(accesses, cross_account_only=cross_account_only).items():
        live = [(label, actions_for(level), resources) for label, actions_for, resources in parts if actions_for(level)]
        # what one more statement of this level costs: its actions, resources and the fixed keys
        overhead = sum(size({"Sid": sid(prefix, level, label), "Effect": "Allow", "Action": list(actions),
                             "Resource": list(resources)}) for label, actions, resources in live)
        forms = admit_groups(arns, [a.principal for a in group], overhead)
        for i, (principal, condition) in enumerate(forms):
            for label, actions, resources in live:
                out.append(Statement(
                    sid=sid(prefix, level, label, *([str(i)] if i else [])), effect="Allow", action=actions,
                    resource=resources, principal=principal, condition=merge_conditions(condition, extra_condition),
                    source=group[0].source, reason=reason,
                ))
    return out
