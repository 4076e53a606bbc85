"""Grant coverage (issue 11.4): every action of every generated Allow is used by a workflow call, on a resource
the statement names, or carries a written reason from the workflow catalogue. The manifest records the table."""

from __future__ import annotations

from typing import NamedTuple

from policygen.policydoc.match import action_matches, resource_matches
from policygen.generate.workflows import Call, calls_for, catalogue
from policygen.model.org import Org


class UsedCall(NamedTuple):
    """What coverage reads of an allowed workflow call."""

    principal: str
    action: str
    resource: str
    context: dict
    expect: str = "allow"


def _actions(statement: dict) -> list[str]:
    value = statement.get("Action", [])
    return [value] if isinstance(value, str) else list(value)


def coverage(granted: dict[str, list[dict]], calls: list[Call] | list[UsedCall], reasons: dict[str, str] | None = None) -> list[dict]:
    """Per role: the actions its Allow statements grant, those a workflow call uses (an allowed call with that
    action on a resource the statement names), those granted with a written reason, and the rest (unused)."""
    reasons = catalogue()["reasons"] if reasons is None else reasons
    lowered = {k.lower(): v for k, v in reasons.items()}
    spelled = {k.lower(): k for k in reasons}
    by_role: dict[str, list[Call]] = {}
    for c in calls:
        if c.expect == "allow":
            by_role.setdefault(c.principal, []).append(c)
    rows = []
    for role, statements in sorted(granted.items()):
        mine = by_role.get(role, [])
        # A hub role is granted hundreds of actions and makes hundreds of calls: an action without a
        # wildcard is compared only with the calls of that action (names are case-insensitive).
        by_action: dict[str, list[Call]] = {}
        for c in mine:
            by_action.setdefault(c.action.lower(), []).append(c)
        used, reasoned, unused, actions = set(), {}, set(), set()
        for statement in statements:
            resources = statement.get("Resource", [])
            resources = [resources] if isinstance(resources, str) else resources
            for action in _actions(statement):
                actions.add(action)
                calls = mine if "*" in action or "?" in action else by_action.get(action.lower(), [])
                if any(action_matches(action, c.action) and any(resource_matches(r, c.resource, c.context) for r in resources)
                       for c in calls):
                    used.add(action)
                else:
                    key = _reason_key(lowered, action, resources)
                    if key:
                        reasoned[spelled[key.lower()]] = lowered[key.lower()]
                    else:
                        unused.add(action)
        rows.append({"role": role, "granted": sorted(actions), "used": sorted(used),
                     "reasoned": dict(sorted(reasoned.items())), "unused": sorted(unused)})
    return rows


def _reason_key(lowered: dict, action: str, resources: list[str]) -> str | None:
    """A reason for this action, or for this action on these resources ("<action> on <ARN fragment>")."""
    if action.lower() in lowered:
        return action
    for key in lowered:
        name, _, fragment = key.partition(" on ")
        if fragment and name == action.lower() and resources and all(fragment in r.lower() for r in resources):
            return key
    return None


def granted_actions(artifacts) -> dict[str, list[dict]]:
    """Role ARN -> the Allow statements of its own policies, from the build's role and identity-policy artifacts."""
    policies = {(a.account, a.name): a.data for a in artifacts if a.kind == "identity-policy"}
    out: dict[str, list[dict]] = {}
    for a in artifacts:
        if a.kind != "iam-role":
            continue
        out[a.data["Arn"]] = [s for name in a.data.get("Policies", [])
                              for s in (policies.get((a.account, name)) or {}).get("Statement", [])
                              if s.get("Effect") == "Allow"]
    return out


def allowed_calls(org: Org, plan=None) -> list[tuple[str, str, str, dict]]:
    """(principal, action, resource, context) of the workflow calls that must be allowed: plain tuples,
    which a forked child sends back in a tenth of the time the calls themselves take to pickle."""
    return [(c.principal, c.action, c.resource, c.context) for c in calls_for(org, plan) if c.expect == "allow"]


def coverage_table(org: Org, artifacts, plan=None, allowed: list[tuple[str, str, str, dict]] | None = None) -> list[dict]:
    """What manifest.json records under `coverage`. allowed: `allowed_calls(org, plan)`, if computed already."""
    calls = [UsedCall(*call) for call in (allowed_calls(org, plan) if allowed is None else allowed)]
    return coverage(granted_actions(artifacts), calls)
