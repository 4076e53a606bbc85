"""The access graph: which principal can do what (read, write, admin, permissions management) to
which resource, from which network. Built by asking the evaluator, not by reading grants.

Besides the roles the documents define, every account gets a stand-in for "any other principal
of this account" with an administrator's identity policy, and the world gets an anonymous
caller: what they reach is decided by the resource side alone, which is exactly what a
resource policy has to get right.

To stay linear in the size of the organization, only actions some statement could grant to the
pair are evaluated: those of the principal's identity statements whose Resource could name the
resource, and of the resource policy's statements whose Principal could name the principal.
"""

from __future__ import annotations

from dataclasses import dataclass

from policygen.access.arn import account_of
from policygen.access.evaluate import Decision, Ref, evaluate
from policygen.access.match import glob_match
from policygen.access.world import Principal, Resource, World
from policygen.iamdb import Catalogue
from policygen.lint.document import IDENTITY, PolicyDoc
from policygen.model.finding import Location

ADMIN_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
OTHERS = "role/*any-other-principal*"
ANONYMOUS = "*"
SERVICE_OF = {"bucket": "s3", "key": "kms", "repository": "ecr", "model-package-group": "sagemaker",
              "event-bus": "events", "role": "sts"}
ENDPOINT_OF = {"bucket": "s3", "key": "kms", "repository": "ecr-api", "model-package-group": "sagemaker-api",
               "event-bus": "events", "role": "sts"}
# Resource types whose actions touch data rather than the resource's configuration.
DATA_TYPES = {"object", "image", "model-package", "key"}
# KMS files every cryptographic operation under Write; for the graph, decrypting is reading the data.
KEY_READ_ACTIONS = {"Decrypt", "DescribeKey"}
KEY_WRITE_ACTIONS = {"Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyWithoutPlaintext",
                     "GenerateDataKeyPairWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"}
TYPES_OF = {"bucket": {"bucket", "object"}, "key": {"key"}, "repository": {"repository"},
            "model-package-group": {"model-package-group", "model-package"}, "event-bus": {"event-bus"}, "role": {"role"}}


@dataclass(frozen=True)
class Edge:
    principal: str
    principal_account: str | None
    resource: str
    resource_kind: str
    resource_account: str | None
    level: str  # read, write, admin, permissions-management, assume
    network: str  # a VPC endpoint id, "outside any VPC endpoint", or "through S3"
    actions: tuple[str, ...]
    grants: tuple[Ref, ...]  # the Allow statements that decided, on both sides

    @property
    def cross_account(self) -> bool:
        return self.principal_account != self.resource_account

    @property
    def stand_in(self) -> bool:
        return self.principal == ANONYMOUS or OTHERS in self.principal


def stand_ins(world: World) -> list[Principal]:
    admin = PolicyDoc(IDENTITY, ADMIN_POLICY, Location("(stand-in) administrator identity policy", 1), name="admin")
    named = {account_of(v) for r in world.resources.values() if r.policy is not None
             for st in r.policy.statements for vs in (st.principal or {}).values() for v in vs}
    known = {p.account_id for p in world.principals.values()} | {r.account_id for r in world.resources.values()}
    accounts = sorted(({a for a in named | known if a} | set(world.account_ids.values())) | {"999999999999"})
    return [Principal(f"arn:aws:iam::{a}:{OTHERS}", a, [admin]) for a in accounts]


def build_graph(world: World, catalogue: Catalogue) -> list[Edge]:
    principals = list(world.principals.values()) + stand_ins(world)
    edges: list[Edge] = []
    for resource in sorted(world.resources.values(), key=lambda r: r.arn):
        if resource.kind not in TYPES_OF:
            continue
        for principal in principals:
            edges.extend(_edges(world, catalogue, principal, resource))
        edges.extend(_edges(world, catalogue, Principal(ANONYMOUS, ""), resource))
    return edges


def _edges(world: World, catalogue: Catalogue, principal: Principal, resource: Resource) -> list[Edge]:
    actions = _candidate_actions(world, catalogue, principal, resource)
    if not actions:
        return []
    found: dict[tuple[str, str], list] = {}
    inputs = world.inputs(world.request(principal.arn, actions[0][0], actions[0][1]))  # the same for every action
    if principal.arn not in world.principals:
        inputs.identity = list(principal.identity)
    for network, context in _networks(world, principal, resource):
        for action, probe, level in actions:
            request = world.request(principal.arn, action, probe, context)
            decision = evaluate(request, inputs)
            if decision.allowed:
                found.setdefault((level, network), []).append((action, decision))
    return [
        Edge(principal.arn, principal.account_id or None, resource.arn, resource.kind, resource.account_id, level, network,
             tuple(sorted({a for a, _ in hits}))[:5], _grants(hits[0][1]))
        for (level, network), hits in sorted(found.items())
    ]


def _grants(decision: Decision) -> tuple[Ref, ...]:
    return tuple(ref for layer in decision.layers if layer.name != "scp" for ref in layer.statements if ref.effect == "Allow")


def _networks(world: World, principal: Principal, resource: Resource):
    endpoints = world.endpoints(principal.account_id)
    endpoint = endpoints.get(ENDPOINT_OF[resource.kind])
    if endpoint:
        yield endpoint, {"aws:SourceVpce": endpoint}
    yield "outside any VPC endpoint", {}
    if resource.kind == "key" and principal.account_id:
        region = world.facts.get("home_region", "us-east-1")
        yield "through S3", {"kms:ViaService": f"s3.{region}.amazonaws.com", "aws:ViaAWSService": "true",
                             "kms:CallerAccount": principal.account_id}


def _candidate_actions(world: World, catalogue: Catalogue, principal: Principal, resource: Resource):
    """(action, resource ARN to ask about, level) for every action some statement could grant the pair."""
    patterns: set[str] = set()
    probes = _probes(resource)
    for doc in principal.identity:
        for statement in doc.statements:
            if statement.allows and _could_name(statement, probes):
                patterns.update(statement.actions or [f"{SERVICE_OF[resource.kind]}:*"])
    policy = resource.policy
    for statement in policy.statements if policy else []:
        if statement.allows:
            patterns.update(statement.actions or [f"{SERVICE_OF[resource.kind]}:*"])
    service = SERVICE_OF[resource.kind]
    out = []
    for pattern in sorted(patterns):
        prefix = pattern.partition(":")[0].lower()
        if pattern == "*":
            pattern = f"{service}:*"  # only this resource's service can act on it
        elif prefix != service:
            continue
        for action in catalogue.actions(pattern):
            if action.service != service:
                continue
            types = {rt for rt, _ in action.resource_types} & TYPES_OF[resource.kind]
            if not types:
                continue
            probe = probes["data"] if types & DATA_TYPES and "data" in probes else probes["self"]
            out.append((action.full, probe, _level(action, types)))
    return sorted(set(out))


def _probes(resource: Resource) -> dict[str, str]:
    if resource.kind == "bucket":
        return {"self": resource.arn, "data": resource.arn + "/graph-probe"}
    if resource.kind == "model-package-group":
        return {"self": resource.arn, "data": resource.arn.replace(":model-package-group/", ":model-package/") + "/1"}
    return {"self": resource.arn}


def _could_name(statement, probes: dict[str, str]) -> bool:
    if "NotResource" in statement.raw:
        return True
    return any(glob_match(r.replace("${", "*").split("}")[-1] if "${" in r else r, probe)
               for r in statement.resources for probe in probes.values())


def _level(action, types: set[str]) -> str:
    if action.service == "sts":
        return "assume"
    if action.full == "events:PutEvents":
        return "put-events"
    if action.level == "permissions-management":
        return "permissions-management"
    if action.level in ("read", "list") or (action.service == "kms" and action.name in KEY_READ_ACTIONS):
        return "read"
    if action.service == "kms":
        return "write" if action.name in KEY_WRITE_ACTIONS else "admin"
    return "write" if types & DATA_TYPES else "admin"
