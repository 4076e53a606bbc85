"""Is this request allowed? AWS's policy evaluation logic over the documents we generate and lint.

The order (IAM User Guide, "Policy evaluation logic" and "Cross-account policy evaluation logic"):
1. an explicit Deny in any applicable policy wins;
2. every level of the SCP hierarchy above the principal's account must allow (the management
   account and service principals are not subject to SCPs);
3. KMS key policies and role trust policies must allow; naming the account root delegates to
   the identity policies (IAM User Guide: "KMS key policies", "Roles terms and concepts");
4. other resource policies (bucket, repository, model package group, bus) and trust policies:
   in the same account, a statement naming the principal itself (or "*") is enough; naming the
   account root delegates to the identity policies; across accounts both sides must allow;
5. otherwise the identity policies decide, and only within the principal's own account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from policygen.access.arn import account_of, is_account_root
from policygen.access.conditions import UnsupportedOperator, block_holds
from policygen.policydoc.match import action_matches, resource_matches
from policygen.policydoc.document import PolicyDoc, Statement
from policygen.model.finding import Location
from policygen.model.kinds import KEY, REPOSITORY, TRUST

ALLOW, IMPLICIT_DENY, EXPLICIT_DENY = "allow", "implicit-deny", "explicit-deny"


@dataclass(frozen=True)
class Request:
    principal: str  # a role or user ARN, an account root, a service principal, or "*" (anonymous)
    action: str
    resource: str
    resource_account: str | None
    context: dict = field(default_factory=dict, hash=False)

    @cached_property
    def principal_account(self) -> str | None:
        return account_of(self.principal)

    @cached_property
    def is_service(self) -> bool:
        return self.principal.endswith(".amazonaws.com")


@dataclass
class Inputs:
    identity: list[PolicyDoc] = field(default_factory=list)
    scp_levels: list[list[PolicyDoc]] = field(default_factory=list)  # root first; [] when no SCPs apply
    resource: PolicyDoc | None = None  # bucket, key, repository, group, bus or trust policy
    is_key: bool = False  # the resource policy is a KMS key policy: it must allow

    @property
    def is_trust(self) -> bool:
        return self.resource is not None and self.resource.kind == TRUST


@dataclass(frozen=True)
class Ref:
    file: str
    line: int
    sid: str | None
    effect: str
    origin: Location | None = None  # the organization-file line behind a generated statement

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f" ({self.sid})" if self.sid else "") + (
            f" from {self.origin}" if self.origin else "")


@dataclass
class Layer:
    name: str  # "scp", "identity", "resource", "key", "trust"
    verdict: str  # "allow", "deny", "no-match", "delegated" (root principal: identity must allow)
    statements: list[Ref] = field(default_factory=list)


@dataclass
class Decision:
    result: str
    layers: list[Layer]
    reason: str

    @property
    def allowed(self) -> bool:
        return self.result == ALLOW


def evaluate(request: Request, inputs: Inputs) -> Decision:
    context = effective_context(request)
    layers: list[Layer] = []
    # A resource whose owner we do not know (an S3 ARN carries no account) is not assumed to be the caller's.
    same_account = request.resource_account is not None and request.resource_account == request.principal_account

    scp = _scp_layer(request, inputs, context) if inputs.scp_levels and not request.is_service else None
    identity = _identity_layer(inputs.identity, request, context) if not request.is_service else None
    resource = _resource_layer(inputs, request, context) if inputs.resource is not None else None
    layers = [layer for layer in (scp, identity, resource) if layer is not None]

    denies = [ref for layer in layers for ref in layer.statements if ref.effect == "Deny"]
    if denies:
        return Decision(EXPLICIT_DENY, layers, "an explicit Deny applies")
    if scp is not None and scp.verdict != "allow":
        return Decision(IMPLICIT_DENY, layers, "a level of the SCP hierarchy allows no such request")
    identity_allows = identity is not None and identity.verdict == "allow"
    if inputs.is_key or inputs.is_trust:
        what = "key" if inputs.is_key else "trust"
        if resource is None or resource.verdict == "no-match":
            return Decision(IMPLICIT_DENY, layers, f"the {what} policy does not allow it")
        if resource.verdict == "allow" and (same_account or request.is_service):
            return Decision(ALLOW, layers, f"the {what} policy allows the principal")
        if identity_allows:
            how = "delegates to IAM" if resource.verdict == "delegated" else "allows"
            return Decision(ALLOW, layers, f"the {what} policy {how} and an identity policy allows")
        return Decision(IMPLICIT_DENY, layers, f"the {what} policy {'delegates to IAM' if resource.verdict == 'delegated' else 'allows'}, but no identity policy allows")
    if resource is not None and resource.verdict == "allow" and (same_account or request.is_service):
        return Decision(ALLOW, layers, f"the {resource.name} policy allows the principal")
    if same_account:
        if identity_allows:
            return Decision(ALLOW, layers, "an identity policy allows")
        return Decision(IMPLICIT_DENY, layers, "no policy allows")
    if resource is None or resource.verdict == "no-match":
        return Decision(IMPLICIT_DENY, layers, "cross-account: the resource policy does not allow")
    if not identity_allows:
        return Decision(IMPLICIT_DENY, layers, "cross-account: no identity policy of the caller allows")
    return Decision(ALLOW, layers, "cross-account: both the resource policy and an identity policy allow")


def effective_context(request: Request) -> dict:
    """Keys AWS always sets for a signed request, unless the caller chose them."""
    context = dict(request.context)
    if not request.is_service and request.principal != "*":
        context.setdefault("aws:PrincipalArn", request.principal)
        if request.principal_account:
            context.setdefault("aws:PrincipalAccount", request.principal_account)
    if request.resource_account:
        context.setdefault("aws:ResourceAccount", request.resource_account)
    return context


def _action_applies(statement: Statement, action: str) -> bool:
    """Cached per statement: the graph asks the same statement about the same actions many times."""
    cache = statement.__dict__.setdefault("_action_cache", {})
    if action not in cache:
        if "NotAction" in statement.raw:
            cache[action] = not any(action_matches(a, action) for a in statement.not_actions)
        else:
            cache[action] = any(action_matches(a, action) for a in statement.actions)
    return cache[action]


def _applies(statement: Statement, request: Request, context: dict, with_resource: bool = True) -> bool:
    if not statement.ok or not _action_applies(statement, request.action):
        return False
    if with_resource:
        if "NotResource" in statement.raw:
            if any(resource_matches(r, request.resource, context) for r in statement.not_resources):
                return False
        elif "Resource" in statement.raw and not any(resource_matches(r, request.resource, context) for r in statement.resources):
            return False
    try:
        return block_holds(statement.get("Condition"), context)
    except UnsupportedOperator:
        return False


def _ref(doc: PolicyDoc, statement: Statement) -> Ref:
    ref = statement.__dict__.get("_ref")  # one per statement: the graph reports the same ones many times
    if ref is None:
        ref = statement.__dict__["_ref"] = Ref(doc.location.file, statement.line, statement.sid, statement.effect or "",
                                               doc.origin_of(statement))
    return ref


def _matching(docs: list[PolicyDoc], request: Request, context: dict, principal_check=None):
    for doc in docs:
        for statement in doc.statements:
            if principal_check is not None and principal_check(statement) is None:
                continue
            if _applies(statement, request, context, with_resource=doc.kind not in (TRUST, REPOSITORY)):
                yield doc, statement


def _identity_layer(docs: list[PolicyDoc], request: Request, context: dict) -> Layer:
    refs = [_ref(d, s) for d, s in _matching(docs, request, context)]
    return Layer("identity", _verdict(refs), refs)


def _scp_layer(request: Request, inputs: Inputs, context: dict) -> Layer:
    refs: list[Ref] = []
    every_level_allows = True
    for level in inputs.scp_levels:
        found = [_ref(d, s) for d, s in _matching(level, request, context)]
        refs.extend(found)
        every_level_allows &= any(r.effect == "Allow" for r in found)
    denied = any(r.effect == "Deny" for r in refs)
    return Layer("scp", "deny" if denied else "allow" if every_level_allows else "no-match", refs)


def _resource_layer(inputs: Inputs, request: Request, context: dict) -> Layer:
    doc = inputs.resource
    name = {KEY: "key", TRUST: "trust"}.get(doc.kind, "resource")
    kinds: dict[Ref, str] = {}

    def check(statement: Statement):
        how = principal_match(statement, request)
        if how is not None:
            kinds[_ref(doc, statement)] = how
        return how

    refs = [_ref(d, s) for d, s in _matching([doc], request, context, principal_check=check)]
    verdict = _verdict(refs)
    if verdict == "allow" and all(kinds[r] == "account" for r in refs if r.effect == "Allow"):
        verdict = "delegated"
    return Layer(name, verdict, refs)


def _verdict(refs: list[Ref]) -> str:
    if any(r.effect == "Deny" for r in refs):
        return "deny"
    return "allow" if any(r.effect == "Allow" for r in refs) else "no-match"


def principal_match(statement: Statement, request: Request) -> str | None:
    """"direct" (names the principal, or "*"), "account" (names its account root), or None."""
    if "NotPrincipal" in statement.raw:
        listed = statement.not_principal or {}
        named = any(_names(value, request) for values in listed.values() for value in values)
        return None if named else "direct"
    principal = statement.principal or {}
    best = None
    for kind, values in principal.items():
        for value in values:
            if value == "*" and kind == "AWS":
                return "direct"
            how = _names(value, request) if kind in ("AWS", "Service", "Federated") else None
            if how == "direct":
                return "direct"
            best = best or how
    return best


def _names(value: str, request: Request) -> str | None:
    if value == request.principal:
        return "direct"
    if is_account_root(value) and not request.is_service and account_of(value) == request.principal_account:
        return "account"
    return None
