"""The organization as the evaluator needs it: who the principals are and which policies apply to
them, which resources exist and which policy guards each, and the SCP hierarchy.

Built from a Corpus (an organization file built in memory, a build directory, or templates),
so that `explain`, the XA rules and `diff` reason about the same documents the linter reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from policygen.access.arn import account_of, parse_arn
from policygen.access.evaluate import Inputs, Request
from policygen.policydoc.document import SCP, TRUST, PolicyDoc
from policygen.policydoc.corpus import Corpus
from policygen.model.facts import OrgFacts
from policygen.model.finding import Location
from policygen.model.kinds import RESOURCE_OF
from policygen.model.kinds import IDENTITY

FULL_AWS_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
RESOURCE_KINDS = RESOURCE_OF


@dataclass
class Principal:
    arn: str
    account_id: str
    identity: list[PolicyDoc] = field(default_factory=list)
    trust: PolicyDoc | None = None


@dataclass
class Resource:
    arn: str
    kind: str  # bucket, key, repository, model-package-group, event-bus, role
    account_id: str | None
    policy: PolicyDoc | None
    key_arn: str | None = None  # a bucket's KMS key
    vpc_only: bool = False
    aliases: tuple[str, ...] = ()  # a key's aliases: kms:ResourceAliases in requests on it


@dataclass
class World:
    principals: dict[str, Principal] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)
    scps: list[PolicyDoc] = field(default_factory=list)
    facts: OrgFacts = field(default_factory=OrgFacts)

    # organization ---------------------------------------------------------------
    # The facts are fixed once the world is built; these are asked on every evaluated request,
    # so they are computed once rather than by scanning the account list each time.
    @cached_property
    def account_ids(self) -> dict[str, str]:
        return dict(self.facts.accounts)

    @cached_property
    def _names_by_id(self) -> dict[str, str]:
        return {account_id: name for name, account_id in self.account_ids.items()}

    def account_name(self, account_id: str | None) -> str | None:
        return self._names_by_id.get(account_id or "")

    def endpoints(self, account_id: str | None) -> dict[str, str]:
        return dict(self.facts.endpoints.get(self.account_name(account_id) or "", {}))

    @cached_property
    def _full_aws_access(self) -> PolicyDoc:
        return PolicyDoc(SCP, FULL_AWS_ACCESS, Location("(AWS managed) FullAWSAccess", 1), name="FullAWSAccess")

    def scp_levels(self, account_id: str | None) -> list[list[PolicyDoc]]:
        """Root, OU, account: each level holds FullAWSAccess plus the guardrails attached there."""
        cache = self.__dict__.setdefault("_scp_levels", {})
        if account_id not in cache:
            cache[account_id] = self._levels(account_id)
        return cache[account_id]

    def _levels(self, account_id: str | None) -> list[list[PolicyDoc]]:
        name = self.account_name(account_id)
        if name is None or name == self.facts.management_account or not self.scps:
            return []  # the management account is not subject to SCPs
        full = self._full_aws_access
        targets = set(self.facts.scp_targets)
        levels = [[full]]
        ou = self.facts.account_ous.get(name)
        for target in ([ou] if ou else []) + [name]:
            levels.append([full, *(self.scps if target in targets else [])])
        return levels

    # resources ------------------------------------------------------------------
    def resource_of(self, arn: str) -> Resource | None:
        """The resource whose policy governs `arn`: a bucket for its objects, a group for its packages."""
        if arn in self.resources:
            return self.resources[arn]
        parts = parse_arn(arn)
        if parts and parts["service"] == "s3" and "/" in parts["resource"]:
            return self.resources.get(arn.split("/", 1)[0])
        if parts and parts["service"] == "sagemaker" and parts["resource"].startswith("model-package/"):
            group = parts["resource"].split("/")[1]
            return self.resources.get(arn.split(":model-package/")[0] + f":model-package-group/{group}")
        return None

    def policy_of(self, resource: Resource) -> PolicyDoc | None:
        """The policy that guards the resource: a role's is its trust policy."""
        if resource.kind == "role":
            principal = self.principals.get(resource.arn)
            return principal.trust if principal else None
        return resource.policy

    def inputs(self, request: Request) -> Inputs:
        principal = self.principals.get(request.principal)
        resource = self.resource_of(request.resource)
        policy = self.policy_of(resource) if resource else None
        return Inputs(
            identity=list(principal.identity) if principal else [],
            scp_levels=self.scp_levels(request.principal_account),
            resource=policy,
            is_key=resource is not None and resource.kind == "key",
        )

    def request(self, principal: str, action: str, resource: str, context: dict | None = None) -> Request:
        """A request with what AWS would put in its context from the principal and resource, unless given."""
        given = dict(context or {})
        parts = parse_arn(resource)
        target = self.resource_of(resource)
        defaults = {"aws:SecureTransport": "true",
                    "aws:RequestedRegion": (parts or {}).get("region") or self.facts.home_region or "us-east-1"}
        if self.facts.id and self.account_name(account_of(principal)) is not None:
            defaults["aws:PrincipalOrgID"] = self.facts.id
        if target is not None and target.aliases:
            defaults["kms:ResourceAliases"] = list(target.aliases)
        lowered = {k.lower() for k in given}
        given.update({k: v for k, v in defaults.items() if k.lower() not in lowered})
        return Request(principal, action, resource, self.resource_account(resource), given)

    def resource_account(self, arn: str) -> str | None:
        resource = self.resource_of(arn)
        if resource is not None and resource.account_id:
            return resource.account_id
        parts = parse_arn(arn)
        return parts["account"] if parts and parts["account"] else None


def world_from(corpus: Corpus) -> World:
    world = World(facts=corpus.facts)
    by_name: dict[tuple[str | None, str, str], PolicyDoc] = {}
    for doc in corpus.docs:
        by_name[(doc.account_id, doc.kind, doc.name)] = doc
        if doc.kind == SCP:
            world.scps.append(doc)
        elif doc.kind in RESOURCE_KINDS and doc.declared.arn:
            arn = doc.declared.arn
            world.resources[arn] = Resource(arn, RESOURCE_KINDS[doc.kind], doc.account_id, doc,
                                            key_arn=doc.declared.key, vpc_only=bool(doc.declared.vpc_only),
                                            aliases=doc.declared.aliases)
    for role in corpus.roles:
        account = role.get("AccountId")
        identity = [by_name[(account, IDENTITY, name)] for name in role.get("Policies", [])
                    if (account, IDENTITY, name) in by_name]
        trust = by_name.get((account, TRUST, role.get("TrustPolicy", "")))
        world.principals[role["Arn"]] = Principal(role["Arn"], account, identity, trust)
        world.resources[role["Arn"]] = Resource(role["Arn"], "role", account, trust)
    return world
