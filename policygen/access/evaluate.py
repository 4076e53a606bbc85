"""Is this request allowed? AWS's policy evaluation logic over the documents we generate and lint.

The order (IAM User Guide, "Policy evaluation logic", "Cross-account policy evaluation logic",
"Permissions boundaries for IAM entities", "Session policies"; Organizations User Guide, "RCP
evaluation"; VPC endpoint policies in the PrivateLink guide):
1. an explicit Deny in any applicable policy wins;
2. every level of the SCP hierarchy above the principal's account must allow (the management
   account, service-linked roles and service principals are not subject to SCPs); every level of
   the RCP hierarchy above the resource's account must allow (RCPs apply to some services only);
3. a VPC endpoint policy, when the request comes through an endpoint that has one, must allow;
   a session policy, when the role session has one, must allow;
4. KMS key policies and role trust policies must allow; naming the account root delegates to
   the identity policies. A role's trust policy is its resource policy only for the assume-role
   family (sts:AssumeRole*, and sts:TagSession / SetSourceIdentity / SetContext); for any other
   action on a role (iam:PassRole, iam:GetRole, ...) there is no resource policy;
5. other resource policies (bucket, repository, model package group, bus): in the same account,
   a statement naming the principal itself (or "*") is enough; naming the account root delegates
   to the identity policies; across accounts both sides must allow;
6. otherwise the identity policies decide, and only within the principal's own account;
7. a permissions boundary caps what identity policies grant, and what a same-account resource
   policy grants to the role's ARN (only a grant to the role session, here Principal "*", is not
   capped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from policygen.access.arn import account_of, is_account_root
from policygen.access.conditions import UnsupportedOperator, statement_holds
from policygen.policydoc.match import action_matches, resource_matches
from policygen.policydoc.document import PolicyDoc, Statement
from policygen.model.finding import Location
from policygen.model.kinds import KEY, RCP, REPOSITORY, TRUST

if TYPE_CHECKING:
    from policygen.access.memo import EvaluationMemo

ALLOW, IMPLICIT_DENY, EXPLICIT_DENY = "allow", "implicit-deny", "explicit-deny"
# The actions for which AWS reads a role's trust policy (IAM User Guide, "Role trust policies";
# STS API reference: session tags, source identity and context are authorised in the same call).
ASSUME_FAMILY = frozenset({"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
                           "sts:tagsession", "sts:setsourceidentity", "sts:setcontext"})


def consults_trust(action: str) -> bool:
    return action.lower() in ASSUME_FAMILY


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

    @property
    def is_identity(self) -> bool:
        """An IAM role or user: the principals identity, boundary and session policies belong to."""
        return not self.is_service and self.principal != "*"


@dataclass
class Inputs:
    identity: list[PolicyDoc] = field(default_factory=list)
    scp_levels: list[list[PolicyDoc]] = field(default_factory=list)  # root first; [] when no SCPs apply
    resource: PolicyDoc | None = None  # bucket, key, repository, group, bus or trust policy
    is_key: bool = False  # the resource policy is a KMS key policy: it must allow
    scp_names: list[str] = field(default_factory=list)  # "root", "OU ml-prod (ou-...)", "account prod (...)"
    rcp_levels: list[list[PolicyDoc]] = field(default_factory=list)  # the resource's account; [] when none apply
    rcp_names: list[str] = field(default_factory=list)
    boundary: PolicyDoc | None = None  # the principal's permissions boundary
    session: PolicyDoc | None = None  # the role session's session policy
    endpoint: PolicyDoc | None = None  # the policy of the VPC endpoint the request comes through
    endpoint_name: str = ""
    # What earlier requests found out (the world passes its own): SCP and RCP layers, and which
    # statements of a document name an action.
    memo: EvaluationMemo | None = field(default=None, repr=False, compare=False)

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
    name: str  # "scp", "rcp", "endpoint", "session", "identity", "boundary", "resource", "key", "trust"
    verdict: str  # "allow", "deny", "no-match", "delegated" (root principal: identity must allow)
    statements: list[Ref] = field(default_factory=list)
    levels: list[tuple[str, str, list[Ref]]] = field(default_factory=list)  # SCP/RCP: (level name, verdict, statements)
    public: bool = False  # resource layer: an Allow matched through Principal "*"


@dataclass
class Decision:
    result: str
    layers: list[Layer]
    reason: str

    @property
    def allowed(self) -> bool:
        return self.result == ALLOW


def resource_policy(request: Request, inputs: Inputs) -> PolicyDoc | None:
    """The resource policy AWS consults for this request: a trust policy only for the assume-role family."""
    doc = inputs.resource
    if doc is not None and doc.kind == TRUST and not consults_trust(request.action):
        return None
    return doc


def evaluate(request: Request, inputs: Inputs) -> Decision:
    context = effective_context(request)
    # A resource whose owner we do not know (an S3 ARN carries no account) is not assumed to be the caller's.
    same_account = request.resource_account is not None and request.resource_account == request.principal_account
    policy = resource_policy(request, inputs)

    memo = inputs.memo
    control = memo.control_layer if memo is not None else _control_layer
    scp = (control("scp", inputs.scp_levels, inputs.scp_names, request, context)
           if inputs.scp_levels and not request.is_service else None)
    rcp = control("rcp", inputs.rcp_levels, inputs.rcp_names, request, context) if inputs.rcp_levels else None
    endpoint = (_resource_layer(inputs.endpoint, request, context, "endpoint", memo)
                if inputs.endpoint is not None else None)
    session = (_identity_layer(inputs.session and [inputs.session], request, context, "session", memo)
               if inputs.session is not None and request.is_identity else None)
    identity = _identity_layer(inputs.identity, request, context, memo=memo) if not request.is_service else None
    boundary = (_identity_layer([inputs.boundary], request, context, "boundary", memo)
                if inputs.boundary is not None and request.is_identity else None)
    resource = _resource_layer(policy, request, context, memo=memo) if policy is not None else None
    layers = [layer for layer in (scp, rcp, endpoint, session, identity, boundary, resource) if layer is not None]

    if any(ref.effect == "Deny" for layer in layers for ref in layer.statements):
        return Decision(EXPLICIT_DENY, layers, "an explicit Deny applies")
    if scp is not None and scp.verdict != "allow":
        return Decision(IMPLICIT_DENY, layers, "a level of the SCP hierarchy allows no such request")
    if rcp is not None and rcp.verdict != "allow":
        return Decision(IMPLICIT_DENY, layers, "a level of the RCP hierarchy allows no such request")
    if endpoint is not None and endpoint.verdict not in ("allow", "delegated"):
        return Decision(IMPLICIT_DENY, layers, f"the VPC endpoint policy{' of ' + inputs.endpoint_name if inputs.endpoint_name else ''} does not allow it")
    if session is not None and session.verdict != "allow":
        return Decision(IMPLICIT_DENY, layers, "the session policy does not allow it")
    is_key, is_trust = inputs.is_key, policy is not None and policy.kind == TRUST
    identity_allows = identity is not None and identity.verdict == "allow"
    result, reason = _core(request, resource, identity_allows, same_account, is_key, is_trust)
    if boundary is not None and boundary.verdict != "allow" and result == ALLOW:
        # The boundary caps identity grants, and same-account resource grants to the role's ARN;
        # a grant to "*" (which names the role session too) is not capped.
        capped_resource = resource if resource is not None and resource.public else None
        result, reason = _core(request, capped_resource, False, same_account, is_key, is_trust)
        if result != ALLOW:
            reason = "the permissions boundary does not allow it"
    return Decision(result, layers, reason)


def _core(request: Request, resource: Layer | None, identity_allows: bool, same_account: bool,
          is_key: bool, is_trust: bool) -> tuple[str, str]:
    if is_key or is_trust:
        what = "key" if is_key else "trust"
        if resource is None or resource.verdict == "no-match":
            return IMPLICIT_DENY, f"the {what} policy does not allow it"
        if resource.verdict == "allow" and (same_account or request.is_service):
            return ALLOW, f"the {what} policy allows the principal"
        how = "delegates to IAM" if resource.verdict == "delegated" else "allows"
        if identity_allows:
            return ALLOW, f"the {what} policy {how} and an identity policy allows"
        return IMPLICIT_DENY, f"the {what} policy {how}, but no identity policy allows"
    if resource is not None and resource.verdict == "allow" and (same_account or request.is_service):
        return ALLOW, f"the {resource.name} policy allows the principal"
    if same_account:
        if identity_allows:
            return ALLOW, "an identity policy allows"
        return IMPLICIT_DENY, "no policy allows"
    if resource is None or resource.verdict == "no-match":
        return IMPLICIT_DENY, "cross-account: the resource policy does not allow"
    if not identity_allows:
        return IMPLICIT_DENY, "cross-account: no identity policy of the caller allows"
    return ALLOW, "cross-account: both the resource policy and an identity policy allow"


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
        return statement_holds(statement, context)
    except UnsupportedOperator:
        return False


def in_scope(doc: PolicyDoc, statement: Statement, request: Request, context: dict) -> bool:
    """Would the statement apply but for its Condition? (Action, Resource and, in a resource or
    endpoint policy, Principal.) explain uses it to name the condition that failed."""
    if not statement.ok or not _action_applies(statement, request.action):
        return False
    if doc.kind not in (TRUST, REPOSITORY):
        if "NotResource" in statement.raw:
            if any(resource_matches(r, request.resource, context) for r in statement.not_resources):
                return False
        elif "Resource" in statement.raw and not any(resource_matches(r, request.resource, context) for r in statement.resources):
            return False
    if ("Principal" in statement.raw or "NotPrincipal" in statement.raw) and doc.kind != RCP:
        return principal_match(statement, request) is not None
    return True


def _ref(doc: PolicyDoc, statement: Statement) -> Ref:
    ref = statement.__dict__.get("_ref")  # one per statement: the graph reports the same ones many times
    if ref is None:
        ref = statement.__dict__["_ref"] = Ref(doc.location.file, statement.line, statement.sid, statement.effect or "",
                                               doc.origin_of(statement))
    return ref


def _matching(docs: list[PolicyDoc], request: Request, context: dict, principal_check=None, memo=None):
    for doc in docs:
        for statement in memo.statements(doc, request.action) if memo is not None else doc.statements:
            if principal_check is not None and principal_check(statement) is None:
                continue
            if _applies(statement, request, context, with_resource=doc.kind not in (TRUST, REPOSITORY)):
                yield doc, statement


def _identity_layer(docs: list[PolicyDoc], request: Request, context: dict, name: str = "identity", memo=None) -> Layer:
    refs = [_ref(d, s) for d, s in _matching(docs, request, context, memo=memo)]
    return Layer(name, _verdict(refs), refs)


def _control_layer(name: str, levels: list[list[PolicyDoc]], names: list[str], request: Request, context: dict) -> Layer:
    """SCPs or RCPs: every level must allow; a Deny at any level denies. Principal is always "*" in an RCP,
    and RCPFullAWSAccess, attached at every level, cannot be detached (nor may another RCP allow):
    an RCP level always allows what it does not deny."""
    refs: list[Ref] = []
    per_level: list[tuple[str, str, list[Ref]]] = []
    every_level_allows = True
    for i, level in enumerate(levels):
        found = [_ref(d, s) for d, s in _matching(level, request, context)]
        refs.extend(found)
        per_level.append((names[i] if i < len(names) else f"level {i + 1}", _verdict(found), found))
        every_level_allows &= name == "rcp" or any(r.effect == "Allow" for r in found)
    denied = any(r.effect == "Deny" for r in refs)
    return Layer(name, "deny" if denied else "allow" if every_level_allows else "no-match", refs, per_level)


def _resource_layer(doc: PolicyDoc, request: Request, context: dict, name: str | None = None, memo=None) -> Layer:
    name = name or {KEY: "key", TRUST: "trust"}.get(doc.kind, "resource")
    kinds: dict[Ref, str] = {}

    def check(statement: Statement):
        how = principal_match(statement, request)
        if how is not None:
            kinds[_ref(doc, statement)] = how
        return how

    refs = [_ref(d, s) for d, s in _matching([doc], request, context, principal_check=check, memo=memo)]
    verdict = _verdict(refs)
    allows = [r for r in refs if r.effect == "Allow"]
    if verdict == "allow" and all(kinds[r] == "account" for r in allows):
        verdict = "delegated"
    return Layer(name, verdict, refs, public=any(kinds[r] == "public" for r in allows))


def _verdict(refs: list[Ref]) -> str:
    if any(r.effect == "Deny" for r in refs):
        return "deny"
    return "allow" if any(r.effect == "Allow" for r in refs) else "no-match"


def principal_match(statement: Statement, request: Request) -> str | None:
    """"public" (Principal "*" or a NotPrincipal that leaves the caller out), "direct" (names the
    principal), "account" (names its account root), or None."""
    if "NotPrincipal" in statement.raw:
        listed = statement.not_principal or {}
        named = any(_names(value, request) for values in listed.values() for value in values)
        return None if named else "public"
    principal = statement.principal or {}
    best = None
    for kind, values in principal.items():
        for value in values:
            if value == "*" and kind == "AWS":
                return "public"
            how = _names(value, request) if kind in ("AWS", "Service", "Federated") else None
            if how == "direct":
                best = "direct"
            best = best or how
    return best


def _names(value: str, request: Request) -> str | None:
    if value == request.principal:
        return "direct"
    if is_account_root(value) and not request.is_service and account_of(value) == request.principal_account:
        return "account"
    return None
