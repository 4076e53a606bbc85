"""Assemble the plan from every section, derive key use from bucket use, check the network."""

from __future__ import annotations

from policygen.errors import InputError, Problem
from policygen.generate.arns import Arns
from policygen.generate.plan.custom import plan_grants, plan_role_trust_grants, plan_roles
from policygen.generate.plan.deployment import plan_deployment
from policygen.generate.plan.model import Access, Plan, Target
from policygen.generate.plan.registry import plan_registry
from policygen.generate.plan.teams import plan_studio, plan_teams
from policygen.loader.diagnose import suggest
from policygen.model.org import Org


def build_plan(org: Org, compact: bool = True) -> Plan:
    arns = Arns(org, compact)
    plan = Plan(compact=compact)
    plan_teams(org, arns, plan)
    plan_studio(org, arns, plan)
    plan_deployment(org, arns, plan)
    plan_registry(org, arns, plan)
    role_problems = _role_problems(org, frozenset(plan.roles))
    if role_problems:  # grants and trusts below would name roles that do not exist
        raise InputError(role_problems)
    plan_roles(org, arns, plan)
    plan_role_trust_grants(org, plan)
    plan_grants(org, plan)
    _derive_key_use(org, plan)
    problems = _vpc_only_unreachable(org, plan)
    if problems:  # every cross-section problem at once, as the loader reports its own
        raise InputError(problems)
    return plan


def _role_problems(org: Org, generated: frozenset[tuple[str, str]]) -> list[Problem]:
    """A declared role may not take a generated role's name; every role the file names must be
    generated or declared. The planner is the one list of generated roles."""
    problems = [
        Problem(f"role '{role.name}' in {role.account} clashes with a role policygen generates", role.span)
        for role in org.roles.values() if (role.account, role.name) in generated
    ]
    known = generated | {(r.account, r.name) for r in org.roles.values()}
    for use in org.role_uses:
        if (use.ref.account, use.ref.name) not in known:
            here = sorted(n for a, n in known if a == use.ref.account)
            problems.append(Problem(f"unknown role '{use.ref}'{suggest(use.ref.name, here)} "
                                    f"(roles in {use.ref.account}: {', '.join(here) or 'none'})", use.span))
    return problems


def _derive_key_use(org: Org, plan: Plan) -> None:
    """Reading or writing an SSE-KMS bucket means S3 uses the bucket's key on the caller's behalf."""
    for access in list(plan.accesses):
        if access.target.kind != "bucket":
            continue
        bucket = org.buckets[access.target.name]
        key = org.keys[bucket.key]
        # S3 only encrypts and decrypts on the caller's behalf: admin of a bucket is write use of its key, never
        # key administration (which S3 never calls, so a grant of it through kms:ViaService would be dead).
        level = "write" if access.level == "admin" else access.level
        plan.grant(Access(access.principal, Target("key", key.account, key.name), level, access.source,
                          f"{access.why} (SSE-KMS with {key.name})", via="s3"))


def _vpc_only_unreachable(org: Org, plan: Plan) -> list[Problem]:
    """A vpc_only resource denies every request from outside the listed endpoints: each consumer needs one."""
    problems = []
    for a in plan.accesses:
        if a.target.kind == "bucket":
            vpc_only, service = org.buckets[a.target.name].vpc_only, "s3"
        elif a.target.kind == "key":
            # S3 calls KMS on the caller's behalf (forward access sessions): only direct key users need an endpoint.
            vpc_only, service = org.keys[a.target.name].vpc_only and not a.via, "kms"
        else:
            continue
        if vpc_only and org.accounts[a.principal.account].endpoint(service) is None:
            problems.append(Problem(
                f"{a.target.kind} '{a.target.name}' is vpc_only, but {a.principal} (account '{a.principal.account}') has no "
                f"'{service}' VPC endpoint in network.endpoints, so the {a.target.kind}'s DenyNoVPC statement would block it",
                a.source,
            ))
    return problems
