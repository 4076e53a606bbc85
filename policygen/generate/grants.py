"""Identity-side statements for declared accesses: what the principal's own policy must allow."""

from __future__ import annotations

from policygen.generate import actions as A
from policygen.generate import quotas
from policygen.generate.arns import Arns, sid
from policygen.generate.plan.model import Access
from policygen.generate.plan.registry import groups_by_account
from policygen.generate.principals import account_condition, org_paths, path_condition
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


# Kinds whose cross-account accesses can be written as one identity-side pattern: their resource side
# (a role's trust policy, a model package group's policy) is generated from the same declared accesses
# and admits exactly the declared principals, so a pattern on the identity side grants nothing more.
PATTERN_KINDS = {"role", "model-package-group"}
ACCOUNTS_PER_STATEMENT = 300  # an aws:ResourceAccount list of 300 ids is about 4,800 characters: a managed policy holds it


def grouped_identity_statements(arns: Arns, accesses: list[Access]) -> list[Statement]:
    """The identity statements of one role's accesses, smaller where that stays exact (compact builds).

    1. Cross-account targets of one kind and level in two or more accounts become a resource
       pattern pinned by the accounts (aws:ResourceAccount or aws:ResourceOrgPaths).
    2. Statements that differ only in their resources are merged into one (model package groups, roles).
    3. Only if the role would still not fit its managed-policy quota: a role that holds one level on
       every model package group the file declares in an account gets `model-package-group/*` there.
       That is exact for the groups the file declares, and admits any group made by hand in that
       account (the registry hub, whose groups policygen creates): hence the last resort.
    Each step is taken only when it at most halves the size: a wildcard in Resource draws a
    reviewer's eye, so it has to buy a real saving. Small organizations keep one statement per target.
    """
    accesses = strongest(accesses)
    patterned: set[int] = set()
    out: list[Statement] = []
    if arns.compact:
        groups: dict[tuple, list[Access]] = {}
        for a in accesses:
            if a.cross_account and a.target.kind in PATTERN_KINDS and not a.via:
                name = a.target.name if a.target.kind == "role" else "*"
                groups.setdefault((a.target.kind, name, a.level), []).append(a)
        for (kind, name, level), group in sorted(groups.items()):
            accounts = sorted({a.target.account for a in group})
            if len(accounts) < 2:
                continue
            compact = _pattern_statements(arns, kind, name, level, accounts, None, group[0].source)
            if _halves(compact, [st for a in group for st in identity_statements(arns, a)]):
                out += compact
                patterned |= {id(a) for a in group}
    rest = [a for a in accesses if id(a) not in patterned]
    by_target_group: dict[tuple, list[Access]] = {}
    for a in rest:
        by_target_group.setdefault((a.target.kind, a.target.account, a.level, a.via or ""), []).append(a)
    merged: list[tuple[tuple, list[Statement]]] = []
    for key, group in by_target_group.items():
        enumerated = [st for a in group for st in identity_statements(arns, a)]
        # only kinds whose targets grow with the organization (a group per team, a role per account);
        # a team's few buckets keep a statement each
        mergeable = arns.compact and len(group) > 1 and key[0] in PATTERN_KINDS
        joined = _merge(enumerated, key) if mergeable else enumerated
        merged.append((key, joined if _halves(joined, enumerated) else enumerated))
    budget = quotas.LIMITS["identity-policy"] * quotas.MANAGED_POLICIES_PER_ROLE * 8 // 10
    if arns.compact and quotas.statements_size([st for _, sts in merged for st in sts]) + quotas.statements_size(out) > budget:
        merged = [(key, _whole_account(arns, key, sts, by_target_group[key])) for key, sts in merged]
    return out + [st for _, sts in merged for st in sts]


def _halves(smaller: list[Statement], larger: list[Statement]) -> bool:
    return 2 * quotas.statements_size(smaller) <= quotas.statements_size(larger)


def _merge(statements: list[Statement], key: tuple) -> list[Statement]:
    """Statements with the same effect, actions and condition become one with all their resources."""
    kind, account, level, via = key
    by_shape: dict[str, list[Statement]] = {}
    for st in statements:
        shape = repr((st.effect, st.action, st.condition, st.reason))
        by_shape.setdefault(shape, []).append(st)
    out = []
    for i, same in enumerate(by_shape.values()):
        if len(same) == 1:
            out.append(same[0])
            continue
        first = same[0]
        for n, resources in enumerate(_chunks(sorted({r for st in same for r in st.resource}), MERGED_RESOURCES_CHARS)):
            out.append(Statement(sid=sid(level, kind, "in", account, *([via] if via else []), str(i + 1), *([str(n + 1)] if n else [])),
                                 effect=first.effect, action=first.action, resource=tuple(resources),
                                 condition=first.condition, source=first.source, reason=first.reason))
    return out


MERGED_RESOURCES_CHARS = 5000  # a merged statement's resources, so that it fits a 6,144-character managed policy


def _chunks(values: list[str], limit: int) -> list[list[str]]:
    out: list[list[str]] = [[]]
    used = 0
    for v in values:
        if out[-1] and used + len(v) + 3 > limit:
            out.append([])
            used = 0
        out[-1].append(v)
        used += len(v) + 3
    return out


def _whole_account(arns: Arns, key: tuple, statements: list[Statement], group: list[Access]) -> list[Statement]:
    kind, account, level, via = key
    if kind != "model-package-group" or via:
        return statements
    declared = {name for acct, names in groups_by_account(arns.org).items() if acct == account for name in names}
    if {a.target.name for a in group} != declared:
        return statements
    pattern = _pattern_statements(arns, kind, "*", level, [account], account, group[0].source)
    return pattern if _halves(pattern, statements) else statements
def _pattern_statements(arns: Arns, kind: str, name: str, level: str, accounts: list[str], own: str | None,
                        source) -> list[Statement]:
    """Statements for `name` (a role name, or every model package group) in these accounts; with own,
    in that one account, named in the ARN instead of a condition."""
    label = level.capitalize()
    if own is not None:
        base = f"arn:{arns.partition}:sagemaker:{arns.region}:{arns.account_id(own)}"
        why = ("every model package group this organization declares in the account, at one level; "
               "listing them would not fit the role's managed-policy quota")
        # CreateModelPackage authorizes on the package it creates, as in identity_statements: the package
        # statement grants it, and on the group it would be a grant nothing uses (SY010 on the output).
        group_actions = A.upto(A.MODEL_PACKAGE_GROUP, level)
        return [Statement(sid=sid(label, "every", "group", "in", own), effect="Allow", action=group_actions,
                          resource=(f"{base}:model-package-group/*",), source=source, reason=why),
                Statement(sid=sid(label, "every", "package", "in", own), effect="Allow", action=A.upto(A.MODEL_PACKAGE, level),
                          resource=(f"{base}:model-package/*",), source=source, reason=why)]
    paths = org_paths(arns.org, accounts)
    chunks = [paths] if paths else [accounts[i:i + ACCOUNTS_PER_STATEMENT] for i in range(0, len(accounts), ACCOUNTS_PER_STATEMENT)]
    out = []
    for n, chunk in enumerate(chunks):
        pin = path_condition(chunk, "Resource") if paths else account_condition(arns, chunk, "Resource")
        suffix = [str(n + 1)] if len(chunks) > 1 else []
        why = ("the accounts are pinned by the condition; each resource's own policy admits only the declared "
               "principals, so the pattern grants nothing beyond them")
        if kind == "role":
            out.append(Statement(sid=sid("assume", name, "in", "accounts", *suffix), effect="Allow",
                                 action=("sts:AssumeRole",), resource=(f"arn:{arns.partition}:iam::*:role/{name}",),
                                 condition=pin, source=source, reason=why))
        else:
            group_actions = A.upto(A.MODEL_PACKAGE_GROUP, level)
            base = f"arn:{arns.partition}:sagemaker:{arns.region}:*"
            out.append(Statement(sid=sid(label, "groups", "in", "accounts", *suffix), effect="Allow", action=group_actions,
                                 resource=(f"{base}:model-package-group/*",), condition=pin, source=source, reason=why))
            out.append(Statement(sid=sid(label, "packages", "in", "accounts", *suffix), effect="Allow",
                                 action=A.upto(A.MODEL_PACKAGE, level), resource=(f"{base}:model-package/*",),
                                 condition=pin, source=source, reason=why))
    return out
