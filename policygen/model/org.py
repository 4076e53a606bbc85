"""The resolved organization: every reference checked, every entity carrying its span.

Names here are the organization file's names (account `dev`, bucket `models`);
ARNs and AWS names are derived later, in generate/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from policygen.model.levels import ACCESS_LEVELS  # noqa: F401  (one ordering of levels)
from policygen.model.span import Span

STAGES = ("management", "shared-services", "data", "dev", "test", "staging", "prod", "hub")
FEATURE_SHARE_LEVELS = ("read-only", "read-write", "admin")
PIPELINE_SHARE_LEVELS = ("read-only", "allow-execution")
# ML activities of a Studio team (after SageMaker Role Manager); a data scientist has every one.
TEAM_ACTIVITIES = ("studio-apps", "ml-jobs", "models", "endpoints")


@dataclass(frozen=True)
class RoleRef:
    """`<account>/role/<name>`: a role the organization file declares or policygen generates."""

    account: str
    name: str

    def __str__(self) -> str:
        return f"{self.account}/role/{self.name}"


@dataclass(frozen=True)
class RoleUse:
    """Where the file names a role (a grant's principal, a trusted role): checked against the roles
    the planner generates and the file declares, once planning knows them."""

    ref: RoleRef
    span: Span


@dataclass(frozen=True)
class ResourceRef:
    """`bucket/<name>`, `key/<name>`, `repository/<name>`, `model-package-group/<name>`, `team/<name>`."""

    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}"


@dataclass(frozen=True)
class OrgUnit:
    name: str
    id: str
    span: Span
    parent: str | None = None  # the OU this one sits in; None: directly under the root


@dataclass(frozen=True)
class Organization:
    id: str
    partition: str
    home_region: str
    regions: tuple[str, ...]
    management_account: str
    ous: dict[str, OrgUnit]
    span: Span
    root: str | None = None  # r-...; organization paths (aws:PrincipalOrgPaths) need it

    def ancestry(self, ou: str | None) -> tuple[str, ...]:
        """OU names from the root down to ou (inclusive); () for None. The resolver rules out cycles."""
        chain: list[str] = []
        while ou is not None:
            chain.append(ou)
            ou = self.ous[ou].parent
        return tuple(reversed(chain))

    def org_path(self, ou: str | None) -> str | None:
        """`o-id/r-root/ou-parent/ou-child/`: the path AWS gives an account in ou (None without a root)."""
        if self.root is None:
            return None
        return f"{self.id}/{self.root}/" + "".join(f"{self.ous[n].id}/" for n in self.ancestry(ou))


@dataclass(frozen=True)
class Network:
    vpc: str | None
    private_cidrs: tuple[str, ...]
    endpoints: dict[str, str]  # service -> vpce id
    endpoint_spans: dict[str, Span]


@dataclass(frozen=True)
class Account:
    name: str
    id: str
    stage: str
    ou: str | None
    network: Network | None
    span: Span

    def endpoint(self, service: str) -> str | None:
        return self.network.endpoints.get(service) if self.network else None


@dataclass(frozen=True)
class Key:
    name: str
    account: str
    vpc_only: bool
    admins: tuple[RoleRef, ...]
    span: Span


@dataclass(frozen=True)
class Bucket:
    name: str  # the organization file's name
    bucket_name: str  # the real S3 name
    account: str
    key: str
    vpc_only: bool
    versioning: bool
    span: Span
    access_log_bucket: str | None = None  # real name of the bucket receiving server access logs


@dataclass(frozen=True)
class Repository:
    name: str
    account: str
    immutable_tags: bool
    span: Span
    encryption: str = "AES256"  # AES256 | KMS


@dataclass(frozen=True)
class Team:
    name: str
    account: str
    read: tuple[str, ...]
    write: tuple[str, ...]
    span: Span
    item_spans: dict[str, Span]  # "read/<bucket>" or "write/<bucket>" -> span of that list item
    images: tuple[str, ...] = ()  # repositories the team's jobs pull
    activities: tuple[str, ...] = TEAM_ACTIVITIES
    volume_keys: tuple[str, ...] = ()  # keys its jobs and endpoints encrypt with, beyond its buckets' keys


@dataclass(frozen=True)
class Studio:
    account: str
    access_from: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class Deployment:
    source: str
    models_bucket: str
    images: str
    targets: tuple[str, ...]  # accounts: those listed, and every account of a listed OU
    stackset_admin: str
    permission_model: str  # self-managed | service-managed
    span: Span
    target_ous: tuple[str, ...] = ()  # the OUs the file lists among the targets


@dataclass(frozen=True)
class RegistryGroup:
    name: str
    spokes: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class ModelRegistry:
    hub: str
    pattern: str  # push | pull
    artifacts_bucket: str
    images: str
    groups: dict[str, RegistryGroup]
    span: Span

    @property
    def spokes(self) -> tuple[str, ...]:
        return tuple(sorted({s for g in self.groups.values() for s in g.spokes}))


@dataclass(frozen=True)
class Share:
    """One account's access to a shared resource at a named level."""

    account: str
    level: str
    span: Span


@dataclass(frozen=True)
class FeatureGroup:
    name: str
    shares: tuple[Share, ...]
    span: Span


@dataclass(frozen=True)
class FeatureStore:
    owner: str
    discoverable_by: tuple[str, ...]
    feature_groups: dict[str, FeatureGroup]
    span: Span


@dataclass(frozen=True)
class Pipeline:
    name: str
    account: str
    shares: tuple[Share, ...]
    span: Span


@dataclass(frozen=True)
class Guardrails:
    attach_to: tuple[str, ...]  # OU or account names
    require_vpc_for_sagemaker_jobs: bool
    require_volume_encryption: bool
    deny_regions_outside_allowed: bool
    studio_access_from: tuple[str, ...]
    span: Span
    flag_spans: dict[str, Span]
    break_glass_roles: tuple[str, ...] = ()  # role names exempt from the region guardrail


@dataclass(frozen=True)
class Role:
    name: str
    account: str
    trusted_services: tuple[str, ...]
    trusted_roles: tuple[RoleRef, ...]
    span: Span


@dataclass(frozen=True)
class Grant:
    principal: RoleRef
    resource: ResourceRef
    access: str
    why: str
    span: Span


@dataclass(frozen=True)
class Org:
    file: str
    organization: Organization
    accounts: dict[str, Account]
    keys: dict[str, Key] = field(default_factory=dict)
    buckets: dict[str, Bucket] = field(default_factory=dict)
    repositories: dict[str, Repository] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    studio: Studio | None = None
    deployment: Deployment | None = None
    model_registry: ModelRegistry | None = None
    feature_store: FeatureStore | None = None
    pipelines: dict[str, Pipeline] = field(default_factory=dict)
    guardrails: Guardrails | None = None
    roles: dict[str, Role] = field(default_factory=dict)
    grants: tuple[Grant, ...] = ()
    role_uses: tuple[RoleUse, ...] = ()
    suppressions: tuple = ()  # lint suppressions written next to entries (model.suppression.Suppression)

    def account_id(self, name: str) -> str:
        return self.accounts[name].id

    @cached_property
    def accounts_under(self) -> dict[str | None, frozenset[str]]:
        """Per OU name, the accounts in it or in any OU below it; under None, every account."""
        out: dict[str | None, set[str]] = {name: set() for name in self.organization.ous}
        out[None] = set(self.accounts)
        for name, account in self.accounts.items():
            for ou in self.organization.ancestry(account.ou):
                out[ou].add(name)
        return {ou: frozenset(names) for ou, names in out.items()}
