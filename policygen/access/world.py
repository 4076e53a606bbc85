"""The organization as the evaluator needs it: who the principals are and which policies apply to
them, which resources exist and which policy guards each, and the SCP hierarchy.

Built from a Corpus (an organization file built in memory, a build directory, or templates),
so that `explain`, the XA rules and `diff` reason about the same documents the linter reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from policygen.access.arn import account_of, parse_arn
from policygen.access.evaluate import Inputs, Request, resource_policy
from policygen.access.functions import functions_of
from policygen.access.memo import EvaluationMemo
from policygen.access.ram_shares import SHARED, share_policies
from policygen.policydoc.document import SCP, TRUST, PolicyDoc
from policygen.policydoc.corpus import Corpus
from policygen.model.facts import OrgFacts
from policygen.model.finding import Location
from policygen.model.kinds import RESOURCE_OF
from policygen.model.kinds import ENDPOINT, IDENTITY, RCP

FULL_AWS_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
RCP_FULL_AWS_ACCESS = {"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
# The services whose resources RCPs apply to (Organizations User Guide, "List of AWS services that
# support RCPs": S3, STS, KMS, SQS, Secrets Manager, ECR, OpenSearch Serverless, Cognito, CloudWatch Logs).
RCP_SERVICES = frozenset({"s3", "sts", "kms", "sqs", "secretsmanager", "ecr", "aoss", "cognito-idp",
                          "cognito-identity", "logs"})
SERVICE_LINKED = ":role/aws-service-role/"  # neither SCPs nor RCPs restrict service-linked roles
UNKNOWN_ROOT = "r-?"  # the organization facts do not name the root yet
RESOURCE_KINDS = RESOURCE_OF


@dataclass
class Principal:
    arn: str
    account_id: str
    identity: list[PolicyDoc] = field(default_factory=list)
    trust: PolicyDoc | None = None
    boundary: PolicyDoc | None = None  # the permissions boundary, when its document was given
    boundary_name: str | None = None  # what the role names as its boundary (found or not)
    tags: dict[str, str] = field(default_factory=dict)  # aws:PrincipalTag/<key> in its requests


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
    rcps: list[PolicyDoc] = field(default_factory=list)
    endpoint_policies: dict[str, PolicyDoc] = field(default_factory=dict)  # VPC endpoint id -> its policy
    functions: dict[str, str] = field(default_factory=dict)  # Lambda function ARN -> the role it runs as

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

    @cached_property
    def _buckets_by_key(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for arn, r in sorted(self.resources.items()):
            if r.kind == "bucket" and r.key_arn:
                out.setdefault(r.key_arn, []).append(arn)
        return out

    def buckets_of_key(self, key_arn: str) -> list[str]:
        """The buckets encrypted with this key, sorted (asked for every principal that reaches the key)."""
        return self._buckets_by_key.get(key_arn, [])

    def policy_of(self, resource: Resource) -> PolicyDoc | None:
        """The policy that guards the resource: a role's is its trust policy."""
        if resource.kind == "role":
            principal = self.principals.get(resource.arn)
            return principal.trust if principal else None
        return resource.policy

    @cached_property
    def memo(self) -> EvaluationMemo:
        """What the requests evaluated so far found out: every request of an account asks the same levels."""
        return EvaluationMemo()

    def inputs(self, request: Request) -> Inputs:
        principal = self.principals.get(request.principal)
        resource = self.resource_of(request.resource)
        policy = self.policy_of(resource) if resource else None
        service_linked = SERVICE_LINKED in request.principal
        endpoint_id = request.context.get("aws:SourceVpce")
        inputs = Inputs(
            identity=list(principal.identity) if principal else [],
            scp_levels=[] if service_linked else self.scp_levels(request.principal_account),
            resource=policy,
            is_key=resource is not None and resource.kind == "key",
            scp_names=[] if service_linked else self.level_names(request.principal_account),
            boundary=principal.boundary if principal else None,
            endpoint=self.endpoint_policies.get(endpoint_id) if isinstance(endpoint_id, str) else None,
            endpoint_name=endpoint_id if isinstance(endpoint_id, str) else "",
            memo=self.memo,
        )
        if not service_linked:
            inputs.rcp_levels = self.rcp_levels(request.resource_account, request.action)
            inputs.rcp_names = self.level_names(request.resource_account) if inputs.rcp_levels else []
        inputs.resource = resource_policy(request, inputs)  # a trust policy only for the assume-role family
        return inputs

    # the layers issue 10 adds: RCPs, organization paths, level names ------------------
    def level_names(self, account_id: str | None) -> list[str]:
        """Root, OU (by name), account: the names of the levels scp_levels and rcp_levels return."""
        name = self.account_name(account_id)
        ou = self.facts.account_ous.get(name or "")
        ou_id = self.facts.ous.get(ou or "")
        return ["root"] + ([f"OU {ou}" + (f" ({ou_id})" if ou_id else "")] if ou else []) + [f"account {name} ({account_id})"]

    def rcp_levels(self, account_id: str | None, action: str) -> list[list[PolicyDoc]]:
        """Root, OU, account of the resource's account: RCPFullAWSAccess plus the RCPs attached there.
        None apply to a service that does not support RCPs, to the management account, or without RCPs."""
        name = self.account_name(account_id)
        if (not self.rcps or name is None or name == self.facts.management_account
                or action.partition(":")[0].lower() not in RCP_SERVICES):
            return []
        cache = self.__dict__.setdefault("_rcp_levels", {})
        if account_id not in cache:
            full = PolicyDoc(RCP, RCP_FULL_AWS_ACCESS, Location("(AWS managed) RCPFullAWSAccess", 1), name="RCPFullAWSAccess")
            ou = self.facts.account_ous.get(name)
            targets = [None] + ([ou] if ou else []) + [name]
            ou_id = self.facts.ous.get(ou or "")
            cache[account_id] = [[full, *(d for d in self.rcps if _attached(d, target, {ou: ou_id, name: account_id}))]
                                 for target in targets]
        return cache[account_id]

    def org_path(self, account_id: str | None) -> str | None:
        """aws:PrincipalOrgPaths / aws:ResourceOrgPaths of an account: o-id/r-root/ou-parent/ou-child/,
        the OU chain from the root down to the account's OU (written r-? when the file names no root)."""
        cache = self.__dict__.setdefault("_org_paths", {})  # asked for both sides of every request
        if account_id not in cache:
            cache[account_id] = self._org_path(account_id)
        return cache[account_id]

    def _org_path(self, account_id: str | None) -> str | None:
        org = self.facts.id
        name = self.account_name(account_id)
        if not org or name is None:
            return None
        root = self.facts.root or UNKNOWN_ROOT
        chain, ou, seen = [], self.facts.account_ous.get(name), set()
        while ou is not None and ou not in seen:  # the loader refuses cycles; a hand-edited manifest might not
            seen.add(ou)
            if self.facts.ous.get(ou):
                chain.insert(0, self.facts.ous[ou])
            ou = self.facts.ou_parents.get(ou)
        return f"{org}/{root}/" + "".join(f"{i}/" for i in chain)

    def organization_context(self, principal: str, resource_account: str | None) -> dict:
        """The organization keys AWS puts in a request: who the caller is, where the resource lives."""
        context: dict = {}
        principal_account = account_of(principal)
        known = self.principals.get(principal)
        for key, value in sorted((known.tags if known else {}).items()):
            context[f"aws:PrincipalTag/{key}"] = value
        if principal_account and principal != "*" and not principal.endswith(".amazonaws.com"):
            context["aws:PrincipalAccount"] = principal_account
            path = self.org_path(principal_account)
            if path:
                context["aws:PrincipalOrgPaths"] = [path]
        if resource_account:
            context["aws:ResourceAccount"] = resource_account
            path = self.org_path(resource_account)
            if path:
                context["aws:ResourceOrgID"] = self.facts.id
                context["aws:ResourceOrgPaths"] = [path]
        return context

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
        resource_account = self.resource_account(resource)
        defaults.update(self.organization_context(principal, resource_account))
        lowered = {k.lower() for k in given}
        given.update({k: v for k, v in defaults.items() if k.lower() not in lowered})
        return Request(principal, action, resource, resource_account, given)

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
        if doc.iam_name:  # a boundary names the policy by its IAM name
            by_name.setdefault((doc.account_id, doc.kind, doc.iam_name), doc)
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
    _add_layers(world, corpus, by_name)
    for arn, doc in share_policies(corpus):  # a RAM share is a resource policy on what it shares (access/ram_shares.py)
        world.resources.setdefault(arn, Resource(arn, SHARED, doc.account_id, doc))
    world.functions = functions_of(corpus)  # access/functions.py
    return world


def _attached(doc: PolicyDoc, target: str | None, ids: dict) -> bool:
    """Is this RCP attached at this level? Declared targets name OUs or accounts (by name or id);
    an RCP without declared targets is taken as attached at the root."""
    targets = doc.declared.targets
    if not targets:
        return target is None
    return target is not None and (target in targets or ids.get(target) in targets)


def _add_layers(world: World, corpus: Corpus, by_name: dict) -> None:
    """RCPs, permissions boundaries, principal tags and VPC endpoint policies."""
    for doc in corpus.docs:
        if doc.kind == RCP:
            world.rcps.append(doc)
        elif doc.kind == ENDPOINT:
            endpoint_id = doc.declared.endpoint_id or _endpoint_id(world, doc)
            if endpoint_id:
                world.endpoint_policies[str(endpoint_id)] = doc
    for role in corpus.roles:
        principal = world.principals.get(role["Arn"])
        if principal is None:
            continue
        principal.tags = _tags(role.get("Tags"))
        boundary = role.get("PermissionsBoundary")
        if boundary:
            principal.boundary_name = str(boundary)
            name = str(boundary).rsplit("/", 1)[-1]
            principal.boundary = by_name.get((principal.account_id, IDENTITY, name)) or by_name.get(
                (principal.account_id, IDENTITY, str(boundary)))


def _tags(value) -> dict[str, str]:
    """Role tags as roles/*.json write them ({"Team": "a"}) or as CloudFormation does ([{Key, Value}])."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(value, list):
        return {str(t["Key"]): str(t["Value"]) for t in value if isinstance(t, dict) and "Key" in t and "Value" in t}
    return {}


def _endpoint_id(world: World, doc: PolicyDoc) -> str | None:
    """An endpoint in a template has no id before deployment: the organization's endpoint list
    names the one of this account and service (com.amazonaws.<region>.<service>)."""
    service = "-".join(doc.declared.service or "".split(".")[3:])
    return world.endpoints(doc.account_id).get(service) if service else None
