"""The workflow catalogue (issue 11) instantiated for an organization: the work each generated role exists for.

The catalogue (`policygen/data/workflows.yaml`) lists, per kind of generated role, the API calls of its work
with the request context a real caller sends, and named variants that cross a boundary (another team's tag,
another team's role, a role passed to another service, a request outside the VPC...). `calls_for(org)`
instantiates it for an organization: one `Call` per (role, call) and per applicable variant. The build uses the
calls for its grant coverage table (`generate.coverage`); `access.workflows.prove` evaluates them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

import yaml

from policygen.generate.arns import Arns
from policygen.generate.plan import build_plan
from policygen.generate.plan.deployment import MODEL_ROLE_BOUNDARY
from policygen.generate.plan.teams import team_volume_keys
from policygen.model import names
from policygen.model.levels import levels_upto
from policygen.model.org import Org

SUBNET, SECURITY_GROUP = "subnet-0123456789abcdef0", "sg-0123456789abcdef0"
DOMAIN = "d-abcdefghijkl"
OUTSIDE_IP = "203.0.113.10"  # TEST-NET-3: never a corporate range
FOREIGN_ENDPOINT = "vpce-0fffffffffffffff0"
OUTSIDE_REGIONS = ("ap-southeast-2", "sa-east-1")


@lru_cache(maxsize=1)
def catalogue() -> dict:
    text = resources.files("policygen").joinpath("data/workflows.yaml").read_text()
    return yaml.safe_load(text)


@dataclass(frozen=True)
class Call:
    workflow: str  # "team:team1/ml-jobs", "access:bucket/read", ...
    principal: str
    action: str
    resource: str
    context: dict = field(hash=False, compare=False)
    expect: str = "allow"  # allow | deny
    variant: str | None = None
    why: str = ""
    rests_on: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        if self.principal.endswith(".amazonaws.com"):
            role, account = self.principal, "service"
        else:
            role, account = self.principal.rsplit("/", 1)[-1], self.principal.split(":")[4]
        tail = f" [{self.variant}]" if self.variant else ""
        return f"{account}/{role} {self.action} {self.resource}{tail}"


# ---------------------------------------------------------------------------- instantiation
def _fill(value, bind: dict):
    if isinstance(value, str):
        return value.format_map(bind)
    if isinstance(value, list):
        return [_fill(v, bind) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, bind) for k, v in value.items()}
    return value


def _context(names_: list[str], bind: dict) -> dict:
    out: dict = {}
    for name in names_ or ():
        for key, value in catalogue()["contexts"][name].items():
            try:
                out[key] = _fill(value, bind)
            except KeyError:  # a binding this organization does not have (no S3 endpoint): the caller sends no such key
                continue
    return out


def _instantiate(workflow: str, principal: str, spec: dict, bind: dict, flags: set[str], expect: str = "allow") -> list[Call]:
    context = _context(spec.get("context", []), bind)
    base = Call(workflow, principal, spec["action"], _fill(spec["resource"], bind), context, expect,
                rests_on=tuple(spec.get("rests_on", ())))
    out = [base]
    if expect != "allow":
        return out
    for name in spec.get("variants", ()):
        v = catalogue()["variants"][name]
        if v.get("when") and v["when"] not in flags:
            continue
        changed = dict(context)
        for key in v.get("unset", ()):
            changed.pop(key, None)
        try:
            changed.update(_fill(v.get("set", {}), bind))
            resource = _fill(v["resource"], bind) if "resource" in v else base.resource
        except KeyError:
            continue
        out.append(Call(workflow, principal, base.action, resource, changed, "deny", name, v.get("why", ""), base.rests_on))
    return out


def _subject_to(org: Org, account: str) -> bool:
    g = org.guardrails
    if g is None or account == org.organization.management_account:
        return False
    acct = org.accounts[account]
    return account in g.attach_to or (acct.ou is not None and acct.ou in g.attach_to)


def _flags(org: Org, account: str, role_name: str) -> set[str]:
    g = org.guardrails
    out = set()
    if g is not None and _subject_to(org, account):
        if g.require_vpc_for_sagemaker_jobs:
            out.add("vpc_guardrail")
        if g.require_volume_encryption:
            out.add("volume_guardrail")
        if g.deny_regions_outside_allowed and role_name not in g.break_glass_roles:
            out.add("region_guardrail")
    return out


def _common(arns: Arns, account: str, role_name: str) -> dict:
    org = arns.org
    account_id = arns.account_id(account)
    p, r = arns.partition, arns.region
    bind = {
        "partition": p, "region": r, "account_id": account_id, "role_arn": arns.role(account, role_name),
        "sagemaker": f"arn:{p}:sagemaker:{r}:{account_id}", "logs": f"arn:{p}:logs:{r}:{account_id}",
        "ec2": f"arn:{p}:ec2:{r}:{account_id}", "subnet": SUBNET, "security_group": SECURITY_GROUP,
        "volume_key": f"arn:{p}:kms:{r}:{account_id}:key/11111111-2222-3333-4444-555555555555",
        "domain": DOMAIN, "outside_ip": OUTSIDE_IP, "foreign_endpoint": FOREIGN_ENDPOINT,
        "outside_region": next(x for x in OUTSIDE_REGIONS if x not in org.organization.regions),
    }
    endpoint = org.accounts[account].endpoint("s3")
    if endpoint:
        bind["s3_endpoint"] = endpoint
    return bind


def _groups(spec: dict, wanted) -> list[tuple[str, dict]]:
    return [(name, call) for name in wanted for call in (spec.get(name) or [])]


def _role_calls(kind: str, groups: list[str], principal: str, bind: dict, flags: set[str], label: str) -> list[Call]:
    spec = catalogue()["workflows"].get(kind, {})
    out = []
    for group, call in _groups(spec, groups):
        out += _instantiate(f"{kind}:{label}/{group}", principal, call, bind, flags)
    for call in spec.get("forbidden") or []:
        out += _instantiate(f"{kind}:{label}/forbidden", principal, call, bind, flags, expect="deny")
    return out


def team_calls(org: Org, arns: Arns) -> list[Call]:
    out = []
    teams = sorted(org.teams.values(), key=lambda t: t.name)
    # indexed by account once: a scan of every team (and key) per team was quadratic in the organization
    by_account: dict[str, list[str]] = {}
    for t in teams:
        by_account.setdefault(t.account, []).append(t.name)
    keys_by_account: dict[str, list[str]] = {}
    for k, key in sorted(org.keys.items()):
        keys_by_account.setdefault(key.account, []).append(k)
    for team in teams:
        role = names.team_role(team.name)
        bind = _common(arns, team.account, role)
        others = [name for name in by_account[team.account] if name != team.name]
        other = others[0] if others else "intruders"
        bind |= {"team": team.name, "other_team": other, "user": f"{team.name}-user",
                 "other_team_role_arn": arns.role(team.account, names.team_role(other))}
        groups = list(team.activities)
        keys = team_volume_keys(org, team)
        if keys:
            groups.append("volume-keys")
            bind["volume_key"] = str(arns.key(keys[0]))
            undeclared = [k for k in keys_by_account[org.keys[keys[0]].account] if k not in keys]
            if undeclared:
                bind["undeclared_key"] = str(arns.key(undeclared[0]))
        network = org.accounts[team.account].network
        if "ml-jobs" in groups and network is not None and network.vpc:
            groups.append("ml-jobs-in-vpc")
        if team.images:
            groups.append("images")
        out += _role_calls("team", groups, arns.role(team.account, role), bind, _flags(org, team.account, role), team.name)
    return out


def studio_calls(org: Org, arns: Arns) -> list[Call]:
    if org.studio is None:
        return []
    s = org.studio
    bind = _common(arns, s.account, names.STUDIO_PRESIGNED_URL_ROLE)
    net = ipaddress.ip_network(s.access_from[0])
    bind |= {"user": "team1-user", "studio_ip": str(next(net.hosts(), net.network_address))}
    return _role_calls("studio-presigned-url", ["always"], arns.role(s.account, names.STUDIO_PRESIGNED_URL_ROLE), bind,
                       _flags(org, s.account, names.STUDIO_PRESIGNED_URL_ROLE), "studio")


def deployment_calls(org: Org, arns: Arns) -> list[Call]:
    d = org.deployment
    if d is None:
        return []
    out = []
    for target in d.targets:
        bind = _common(arns, target, names.MODEL_EXECUTION_ROLE)
        out += _role_calls("model-execution", ["always"], arns.role(target, names.MODEL_EXECUTION_ROLE), bind,
                           _flags(org, target, names.MODEL_EXECUTION_ROLE), target)
    if d.permission_model != "self-managed":
        return out
    admin_arn = arns.role(d.stackset_admin, names.STACKSET_ADMIN_ROLE)
    for target in d.targets:
        bind = _common(arns, d.stackset_admin, names.STACKSET_ADMIN_ROLE)
        target_id = arns.account_id(target)
        bind |= {"target_execution_role_arn": arns.role(target, names.STACKSET_EXECUTION_ROLE),
                 "target_model_role_arn": arns.role(target, names.MODEL_EXECUTION_ROLE),
                 "target_org_access_role_arn": f"arn:{arns.partition}:iam::{target_id}:role/OrganizationAccountAccessRole"}
        out += _role_calls("stackset-admin", ["per-target"], admin_arn, bind, set(), target)
        bind = _common(arns, target, names.STACKSET_EXECUTION_ROLE)
        bind |= {
            "stack_arn": f"arn:{arns.partition}:cloudformation:{arns.region}:{target_id}:stack/"
                         f"StackSet-{names.MODEL_DEPLOYMENT_STACKSET}-0a1b2c3d/0a1b2c3d-0000-0000-0000-000000000000",
            "model_role_arn": arns.role(target, names.MODEL_EXECUTION_ROLE),
            "boundary_arn": f"arn:{arns.partition}:iam::{target_id}:policy/{MODEL_ROLE_BOUNDARY}",
            "other_boundary_arn": f"arn:{arns.partition}:iam::{target_id}:policy/PowerUserBoundary",
            "other_role_arn": f"arn:{arns.partition}:iam::{target_id}:role/SomeOtherRole",
        }
        out += _role_calls("stackset-execution", ["always"], arns.role(target, names.STACKSET_EXECUTION_ROLE), bind,
                           _flags(org, target, names.STACKSET_EXECUTION_ROLE), target)
    return out


def registry_calls(org: Org, arns: Arns) -> list[Call]:
    r = org.model_registry
    if r is None or r.pattern != "push":
        return []
    out = []
    repo = org.repositories[r.images]
    for spoke in r.spokes:
        bind = _common(arns, spoke, names.REGISTRY_PUBLISHER_ROLE)
        bind |= {"hub_objects_arn": arns.objects(r.artifacts_bucket), "hub_repository_arn": arns.repository(repo.name)}
        out += _role_calls("registry-publisher", [], arns.role(spoke, names.REGISTRY_PUBLISHER_ROLE), bind, set(), spoke)
    return out


def access_calls(org: Org, arns: Arns, plan=None) -> list[Call]:
    """The calls of every declared access path: what a principal at that level does with the target."""
    plan = plan or build_plan(org)
    table = catalogue()["access_calls"]
    out = []
    seen = set()
    for a in plan.accesses:
        key = (a.principal, a.target, a.level, a.via)
        if key in seen:
            continue
        seen.add(key)
        t = a.target
        bind = _common(arns, a.principal.account, a.principal.name)
        flags = _flags(org, a.principal.account, a.principal.name)
        if t.kind == "bucket":
            bucket = org.buckets[t.name]
            bind |= {"bucket_arn": arns.bucket(t.name), "objects_arn": arns.objects(t.name).rstrip("/*"),
                     "bucket_key_arn": str(arns.key(bucket.key))}
            if bucket.vpc_only:
                flags = flags | {"vpc_only"}
        elif t.kind == "key":
            bind["key_arn"] = str(arns.key(t.name))
            endpoint = org.accounts[a.principal.account].endpoint("kms")
            if endpoint:
                bind["kms_endpoint"] = endpoint
            if org.keys[t.name].vpc_only and not a.via:
                flags = flags | {"vpc_only_key"}
        elif t.kind == "repository":
            bind["repository_arn"] = arns.repository(t.name)
        elif t.kind == "model-package-group":
            bind |= {"group_arn": arns.model_package_group(t.account, t.name),
                     "packages_arn": arns.model_packages(t.account, t.name).rstrip("/*")}
        elif t.kind == "role":
            bind["role_target_arn"] = arns.role(t.account, t.name)
        elif t.kind == "event-bus":
            bind["bus_arn"] = arns.event_bus(t.account, t.name)
        levels = levels_upto(a.level) if a.level in ("read", "write", "admin") else [a.level]
        for level in levels:
            name = f"{t.kind}/{level}" + (f"/{a.via}" if a.via else "")
            for spec in table.get(name, ()):
                out += _instantiate(f"access:{name}", arns.role(a.principal.account, a.principal.name), spec, bind, flags)
    return out


def trust_calls(org: Org, arns: Arns, plan) -> list[Call]:
    """A trusted service assumes each service role on the platform's behalf, with the source keys it sends;
    the same service acting for another account (the confused deputy) is refused where the trust pins it."""
    from policygen.generate.iam import SOURCE_ACCOUNT_SERVICES

    out = []
    for (account, name), role in sorted(plan.roles.items()):
        if role.in_stackset and org.deployment and org.deployment.permission_model != "self-managed":
            continue
        role_arn = arns.role(account, name)
        for service in role.trusted_services:
            context = {"aws:SourceAccount": arns.account_id(account)}
            pinned = role.trust_conditions is not None or service.split(".")[0] in SOURCE_ACCOUNT_SERVICES
            for value in ((role.trust_conditions or {}).get("StringEquals") or {}).values():
                if isinstance(value, str) and value.startswith("arn:"):
                    context["aws:SourceArn"] = value
            out.append(Call(f"trust:{name}", service, "sts:AssumeRole", role_arn, context, rests_on=("confused-deputy",)))
            if pinned:
                other = {"aws:SourceAccount": "999999999999",
                         **({"aws:SourceArn": context["aws:SourceArn"].replace(arns.account_id(account), "999999999999")}
                            if "aws:SourceArn" in context else {})}
                out.append(Call(f"trust:{name}", service, "sts:AssumeRole", role_arn, other, "deny", "other-source-account",
                                "the service acting for another account (confused deputy)", ("confused-deputy",)))
    return out


def calls_for(org: Org, plan=None) -> list[Call]:
    from policygen.generate.ram_workflows import share_calls  # it builds Calls: imported here, not at the top

    arns = Arns(org)
    plan = plan or build_plan(org)
    calls = (team_calls(org, arns) + studio_calls(org, arns) + deployment_calls(org, arns) + registry_calls(org, arns)
             + access_calls(org, arns, plan) + trust_calls(org, arns, plan) + share_calls(org, arns))
    unique: dict[tuple, Call] = {}
    for c in calls:
        unique.setdefault((c.principal, c.action, c.resource, c.expect, c.variant, repr(sorted(c.context.items()))), c)
    return list(unique.values())
