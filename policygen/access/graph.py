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

from dataclasses import dataclass, replace

from policygen.access.arn import account_of, is_account_root
from policygen.access.conditions import UnsupportedOperator, prepared_tests, tests_hold
from policygen.access.declared import ENDPOINT_OF, SSE_KMS_KEY_ID, forward_access_context, upload_headers
from policygen.access.evaluate import Decision, Inputs, Ref, Request, consults_trust, effective_context, evaluate, resource_policy
from policygen.access.index import TYPES_OF, PairIndex
from policygen.policydoc.match import as_glob, glob_match
from policygen.access.world import Principal, Resource, World
from policygen.iamdb import Catalogue
from policygen.policydoc.document import IDENTITY, PolicyDoc
from policygen.model.finding import Location
from policygen.parallel import indexed_map

ADMIN_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
OTHERS = "role/*any-other-principal*"
ANONYMOUS = "*"
SERVICE_OF = {"bucket": "s3", "key": "kms", "repository": "ecr", "model-package-group": "sagemaker",
              "event-bus": "events", "role": "sts"}
# Resource types whose actions touch data rather than the resource's configuration.
DATA_TYPES = {"object", "image", "model-package", "key"}
# KMS files every cryptographic operation under Write; for the graph, decrypting is reading the data.
KEY_READ_ACTIONS = {"Decrypt", "DescribeKey"}
KEY_WRITE_ACTIONS = {"Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyWithoutPlaintext",
                     "GenerateDataKeyPairWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"}


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


def build_graph(world: World, catalogue: Catalogue, same_account_stand_ins: bool = False,
                focus: set[str] | None = None, jobs: int | None = 1) -> list[Edge]:
    """Every edge, sorted by resource then principal.

    Only pairs the PairIndex says could be connected are evaluated. Stand-ins are asked only
    about resources whose policies name their account (or anyone): within its own account, "any
    other principal" with an administrator's policy reaches everything a resource policy does not
    deny, which is ordinary IAM and not what the graph is for, unless same_account_stand_ins.
    With focus (a set of ARNs), only pairs with a principal or resource in it are evaluated.
    jobs: processes to evaluate the pairs in (None: one per core); the edges are the same.
    """
    work = GraphWork.plan(world, catalogue, same_account_stand_ins, focus)
    return work.assemble(indexed_map(work.edges_of, len(work.pairs), jobs, "access graph"))


@dataclass
class GraphWork:
    """The graph as independent items, one per (principal, resource) pair: `edges_of(i)` for each,
    in any order and any process, then `assemble` in pair order. lint maps them together with the
    document rules, so that one pool of workers keeps both cores busy."""

    world: World
    catalogue: Catalogue
    pairs: list[tuple[Principal, Resource]]
    naming: "_Naming"  # each forked worker fills its own copy

    @classmethod
    def plan(cls, world: World, catalogue: Catalogue, same_account_stand_ins: bool = False,
             focus: set[str] | None = None) -> "GraphWork":
        index = PairIndex(world, catalogue)
        pairs: list[tuple[Principal, Resource]] = []
        for principal in world.principals.values():
            for arn in index.resources_for(principal.arn, principal.account_id, principal.identity):
                pairs.append((principal, world.resources[arn]))
        for stand_in in stand_ins(world):
            named = index.by_account.get(stand_in.account_id, set()) | index.public
            if same_account_stand_ins:
                named |= {a for a, r in world.resources.items() if r.account_id == stand_in.account_id}
            pairs.extend((stand_in, world.resources[arn]) for arn in named)
        pairs.extend((Principal(ANONYMOUS, ""), world.resources[arn]) for arn in index.public)
        if focus is not None:  # only the pairs a changed document takes part in
            pairs = [(p, r) for p, r in pairs if p.arn in focus or r.arn in focus]
        pairs = sorted(((p, r) for p, r in pairs if r.kind in TYPES_OF), key=lambda pr: (pr[1].arn, pr[0].arn))
        return cls(world, catalogue, pairs, _Naming())

    def edges_of(self, i: int) -> list[Edge]:
        principal, resource = self.pairs[i]
        return _edges(self.world, self.catalogue, principal, resource, self.naming)

    @staticmethod
    def assemble(per_pair: list[list[Edge]]) -> list[Edge]:
        return [edge for found in per_pair for edge in found]


class _Naming:
    """Which statements of a principal's identity policies could name a resource, and which statements
    of a resource policy name a principal, indexed once per document for one graph.

    A hub's role names hundreds of ARNs and a shared bucket's policy hundreds of accounts; comparing
    every statement with every pair made the graph quadratic in the organization's size. Literal
    ARNs and principals are looked up; only wildcard patterns are matched. Kept for one build_graph
    call, keyed by the principal and document, which that call's world holds.
    """

    def __init__(self) -> None:
        self._identity: dict[str, tuple[dict, list, list]] = {}
        self._resource: dict[int, tuple[PolicyDoc, dict, list]] = {}
        self._actions: dict[tuple[int, str], tuple[object, frozenset]] = {}
        self._possible: dict[tuple[int, str], tuple[object, bool]] = {}
        self._callers: dict[str, dict] = {}

    def actions(self, catalogue: Catalogue, statement, service: str) -> frozenset:
        """The catalogue actions of the service that the statement's Action names."""
        key = (id(statement), service)
        known = self._actions.get(key)
        if known is None or known[0] is not statement:
            known = self._actions[key] = (statement, frozenset(_expand(catalogue, statement.actions or [f"{service}:*"], service)))
        return known[1]

    def identity_statements(self, principal: Principal, probes: dict[str, str]) -> list:
        """The principal's Allow statements whose Resource (or NotResource) could name one of the probes."""
        if principal.arn not in self._identity:
            self._identity[principal.arn] = _resource_index(principal)
        literal, by_prefix, always = self._identity[principal.arn]
        found = {id(s): s for s in always}
        for probe in probes.values():
            found.update((id(s), s) for s in literal.get(probe, ()))
            # a pattern can match only a probe that starts with its text before the first wildcard
            for length, patterns in by_prefix.items():
                for pattern, s in patterns.get(probe[:length], ()):
                    if id(s) not in found and glob_match(pattern, probe):
                        found[id(s)] = s
        return list(found.values())

    def resource_statements(self, world: World, policy: PolicyDoc, principal: Principal) -> list[tuple[object, str]]:
        """(statement, "direct" or "account") for the policy's Allow statements that name the principal
        (by the first of its principal values that names it: its ARN, or its account's root) and whose
        Condition the principal could meet."""
        return [(s, how) for s, how in self._naming_principal(policy, principal) if self._possible_for(world, s, principal)]

    def _possible_for(self, world: World, statement, principal: Principal) -> bool:
        """False when a test of the statement's Condition on who the caller is fails for this principal.

        A compact resource policy admits "*" on conditions such as aws:PrincipalAccount or
        aws:PrincipalOrgPaths; a stand-in of an account it does not list would otherwise be evaluated
        action by action, network by network, to find nothing (four pairs in five of a 1,000-account
        graph's stand-ins). The tests weighed here read only PRINCIPAL_KEYS, without policy variables,
        and every request of the graph from one principal carries the same values for those keys
        (world.request and effective_context set them from the principal; no network context names
        them). Such a test that fails fails in every request, and a statement whose Condition fails
        never applies (the tests are ANDed; an unsupported operator does not apply either), so no
        Allow is lost."""
        tests = _principal_tests(statement)
        if tests == ():
            return True
        key = (id(statement), principal.arn)
        known = self._possible.get(key)
        if known is None or known[0] is not statement:
            known = self._possible[key] = (statement, _may_hold(tests, self._caller(world, principal)))
        return known[1]

    def _caller(self, world: World, principal: Principal) -> dict:
        """The PRINCIPAL_KEYS of the principal's requests, as the evaluator sees them."""
        known = self._callers.get(principal.arn)
        if known is None:
            request = world.request(principal.arn, "sts:GetCallerIdentity", "*")
            known = self._callers[principal.arn] = {k: v for k, v in effective_context(request).items() if _principal_key(k)}
        return known

    def _naming_principal(self, policy: PolicyDoc, principal: Principal) -> list[tuple[object, str]]:
        known = self._resource.get(id(policy))
        if known is None or known[0] is not policy:
            known = self._resource[id(policy)] = (policy, *_principal_index(policy))
        _, by_value, by_account, everyone = known
        first: dict[int, tuple[int, object, str]] = {}
        hits = [(pos, s, "direct") for s, pos in by_value.get(principal.arn, ())]
        if principal.account_id:
            hits += [(pos, s, "account") for s, pos in by_account.get(principal.account_id, ())]
        for pos, statement, how in hits:
            if id(statement) not in first or pos < first[id(statement)][0]:
                first[id(statement)] = (pos, statement, how)
        return [(s, "direct") for s in everyone] + [(s, how) for _, s, how in first.values()]


def _resource_index(principal: Principal) -> tuple[dict, dict, list]:
    """A principal's Allow statements by the literal ARNs they name, their wildcard patterns by length
    and text of the literal prefix before the first wildcard, and those with NotResource."""
    literal: dict[str, list] = {}
    by_prefix: dict[int, dict[str, list]] = {}
    always = []
    for doc in principal.identity:
        for statement in doc.statements:
            if not statement.allows:
                continue
            if "NotResource" in statement.raw:
                always.append(statement)
                continue
            for pattern in dict.fromkeys(as_glob(r) for r in statement.resources):
                cut = min((i for i in (pattern.find(c) for c in "*?\x01") if i >= 0), default=-1)
                if cut < 0:
                    literal.setdefault(pattern, []).append(statement)
                else:
                    by_prefix.setdefault(cut, {}).setdefault(pattern[:cut], []).append((pattern, statement))
    return literal, dict(sorted(by_prefix.items())), always


# Condition keys whose value in a request depends on the calling principal alone
# (world.organization_context, evaluate.effective_context).
PRINCIPAL_KEYS = ("aws:principalarn", "aws:principalaccount", "aws:principalorgpaths", "aws:principalorgid")


def _principal_key(key: str) -> bool:
    lowered = key.lower()
    return lowered in PRINCIPAL_KEYS or lowered.startswith("aws:principaltag/")


def _principal_tests(statement) -> tuple | bool:
    """The tests of the statement's Condition on PRINCIPAL_KEYS without policy variables (False: a
    Condition that is not a mapping of mappings, which never holds), worked out once per statement."""
    known = statement.__dict__.get("_principal_tests")
    if known is None:
        tests = prepared_tests(statement)
        known = statement.__dict__["_principal_tests"] = tests if tests is False else tuple(
            test for test in tests if _principal_key(test[1]) and not any("${" in w for w in test[2]))
    return known


def _may_hold(tests: tuple | bool, caller: dict) -> bool:
    try:
        return tests_hold(tests, caller)
    except UnsupportedOperator:  # as the evaluator takes it: the statement does not apply
        return False


def _principal_index(policy: PolicyDoc) -> tuple[dict, dict, list]:
    """A resource policy's Allow statements by the principal values they name (with the value's position
    in the statement), by the account whose root they name, and those that admit anyone."""
    by_value: dict[str, list] = {}
    by_account: dict[str, list] = {}
    everyone = []
    for statement in policy.statements:
        if not statement.allows:
            continue
        if "NotPrincipal" in statement.raw or statement.public:
            everyone.append(statement)
            continue
        values = [v for vs in (statement.principal or {}).values() for v in vs]
        for pos, value in enumerate(values):
            by_value.setdefault(value, []).append((statement, pos))
            if is_account_root(value):
                by_account.setdefault(account_of(value), []).append((statement, pos))
    return by_value, by_account, everyone


def _edges(world: World, catalogue: Catalogue, principal: Principal, resource: Resource, naming: _Naming) -> list[Edge]:
    actions = _candidate_actions(world, catalogue, principal, resource, naming)
    if not actions:
        return []
    found: dict[tuple[str, str], list] = {}
    base = world.inputs(world.request(principal.arn, actions[0][0], actions[0][1]))  # the same for every action
    if principal.arn not in world.principals:
        base.identity = list(principal.identity)
    headers = upload_headers(world, resource.arn) if resource.kind == "bucket" else {}
    for network, context in _networks(world, principal, resource):
        inputs = _through(world, base, context)
        asked: dict[tuple[str, bool], Request] = {}
        decided: dict[tuple, Decision] = {}
        for action, probe, level in actions:
            # A client uploading to a bucket with a KMS key sends the SSE-KMS headers, when the action takes them.
            sends = bool(headers) and _takes(catalogue, action, SSE_KMS_KEY_ID)
            template = asked.get((probe, sends))
            if template is None:  # the context depends on the principal, the probe and the network, not the action
                template = asked[(probe, sends)] = world.request(principal.arn, action, probe, {**context, **headers} if sends else context)
            request = replace(template, action=action)
            decision = _decide(request, inputs, decided, (probe, sends))  # (probe, sends): the request's context
            if decision.allowed:
                found.setdefault((level, network), []).append((action, decision))
    return [
        Edge(principal.arn, principal.account_id or None, resource.arn, resource.kind, resource.account_id, level, network,
             tuple(sorted({a for a, _ in hits}))[:5], _grants(hits[0][1]))
        for (level, network), hits in sorted(found.items())
    ]


def _through(world: World, base: Inputs, context: dict) -> Inputs:
    """The inputs of a request over this network: through a VPC endpoint, its policy is a layer too."""
    endpoint = context.get("aws:SourceVpce")
    policy = world.endpoint_policies.get(endpoint) if isinstance(endpoint, str) else None
    return replace(base, endpoint=policy, endpoint_name=endpoint or "") if policy is not None else base


def _decide(request: Request, inputs: Inputs, decided: dict, context_key: tuple) -> Decision:
    """evaluate(request, inputs), shared by the actions that every document answers alike.

    The action enters the evaluation only through which statements name it (and whether a trust policy
    is read at all): two actions that the same statements of every layer name, asked with the same
    resource and context, get the same decision. A pair's candidate actions mostly come in such
    groups (a key's Decrypt and DescribeKey, a bucket's Get* granted together), so one evaluation
    serves each group.
    """
    memo = inputs.memo
    if memo is None:
        return evaluate(request, inputs)
    docs = [*inputs.identity, *(d for level in inputs.scp_levels for d in level), *(d for level in inputs.rcp_levels for d in level),
            inputs.endpoint, inputs.session, inputs.boundary, resource_policy(request, inputs)]
    key = (context_key, consults_trust(request.action),
           tuple(id(s) for doc in docs if doc is not None for s in memo.statements(doc, request.action)))
    decision = decided.get(key)
    if decision is None:
        decision = decided[key] = evaluate(request, inputs)
    return decision


def _grants(decision: Decision) -> tuple[Ref, ...]:
    return tuple(ref for layer in decision.layers if layer.name != "scp" for ref in layer.statements if ref.effect == "Allow")


def _networks(world: World, principal: Principal, resource: Resource):
    endpoints = world.endpoints(principal.account_id)
    endpoint = endpoints.get(ENDPOINT_OF[resource.kind])
    if endpoint:
        yield endpoint, {"aws:SourceVpce": endpoint}
    yield "outside any VPC endpoint", {}
    if resource.kind == "key" and principal.account_id:
        yield "through S3", forward_access_context(world, resource.arn, principal.account_id)


def _takes(catalogue: Catalogue, action: str, key: str) -> bool:
    found = catalogue.action(action)
    return found is not None and key in found.condition_keys


def _candidate_actions(world: World, catalogue: Catalogue, principal: Principal, resource: Resource, naming: _Naming):
    """(action, resource ARN to ask about, level) for the actions both required sides could allow.

    Within one account a resource policy naming the principal (or "*") suffices, or else an
    identity policy; across accounts both sides must allow; a key or trust policy must allow in
    any case, and naming the account root delegates to the identity policy. Conditions are left
    to the evaluator: this only rules out actions no statement could grant.
    """
    service = SERVICE_OF[resource.kind]
    probes = _probes(resource)
    identity: set[str] = set()
    for statement in naming.identity_statements(principal, probes):
        identity |= naming.actions(catalogue, statement, service)
    direct: set[str] = set()
    delegated: set[str] = set()
    policy = world.policy_of(resource)
    for statement, how in naming.resource_statements(world, policy, principal) if policy else []:
        if how == "direct":
            direct |= naming.actions(catalogue, statement, service)
        elif how == "account":
            delegated |= naming.actions(catalogue, statement, service)
    same_account = principal.account_id is not None and principal.account_id == resource.account_id
    must_allow = resource.kind in ("key", "role")
    if principal.arn == ANONYMOUS:
        names = direct
    elif same_account:
        names = direct | (delegated & identity) if must_allow else identity | direct
    else:
        names = (direct | delegated) & identity
    out = []
    for name in sorted(names):
        entry = _action_info(catalogue, name, resource.kind)
        if entry is not None:
            types, level = entry
            probe = probes["data"] if types & DATA_TYPES and "data" in probes else probes["self"]
            out.append((name, probe, level))
    return out


_EXPANDED: dict[tuple[str, str], frozenset] = {}
_INFO: dict[tuple[int, str, str], tuple | None] = {}  # memo only: keyed by catalogue, action, resource kind


def _expand(catalogue: Catalogue, patterns, service: str) -> set[str]:
    out: set[str] = set()
    for pattern in patterns:
        prefix = pattern.partition(":")[0].lower()
        if pattern == "*":
            pattern = f"{service}:*"  # only this resource's service can act on it
        elif prefix != service:
            continue
        key = (id(catalogue), pattern.lower())
        if key not in _EXPANDED:
            _EXPANDED[key] = frozenset(catalogue.expand(pattern))
        out |= _EXPANDED[key]
    return out


def _action_info(catalogue: Catalogue, name: str, kind: str):
    key = (id(catalogue), name, kind)
    if key not in _INFO:
        action = catalogue.action(name)
        types = {rt for rt, _ in action.resource_types} & TYPES_OF[kind] if action else set()
        _INFO[key] = (types, _level(action, types)) if types else None
    return _INFO[key]


def _probes(resource: Resource) -> dict[str, str]:
    if resource.kind == "bucket":
        return {"self": resource.arn, "data": resource.arn + "/graph-probe"}
    if resource.kind == "model-package-group":
        return {"self": resource.arn, "data": resource.arn.replace(":model-package-group/", ":model-package/") + "/1"}
    return {"self": resource.arn}


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
