"""The organization file format, version 1, as pydantic models.

These models are the single source of the published JSON Schema (`policygen schema`)
and of the structural checks. References between sections are checked later, in
resolve.py, because they need the whole file.
"""

from __future__ import annotations

import datetime as _dt

import ipaddress
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,31}$"
PATTERN_MEANINGS = {
    NAME_PATTERN: "a name of lower-case letters, digits and '-' (at most 32, starting with a letter or digit)",
    r"^\d{12}$": "a 12-digit AWS account id in quotes",
    r"^o-[a-z0-9]{10,32}$": "an organization id like o-a1b2c3d4e5",
    r"^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$": "an OU id like ou-ab12-11111111",
    r"^r-[0-9a-z]{4,32}$": "an organization root id like r-ab12",
    r"^vpc-[0-9a-f]{8,17}$": "a VPC id like vpc-0a0a0a0a0a0a0a0a0",
    r"^vpce-[0-9a-f]{8,17}$": "a VPC endpoint id like vpce-0a11111111111111a",
    r"^[a-z]{2}(-[a-z]+)+-\d$": "an AWS region like eu-west-1",
    r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$": "an S3 bucket name (3-63 of a-z 0-9 . -)",
    r"^[a-z0-9][a-z0-9-]*/role/[A-Za-z0-9+=,.@_-]{1,64}$": "a role reference like shared/role/ci-pipeline",
    r"^(bucket|key|repository|model-package-group|team)/[a-z0-9][a-z0-9-]*$": "a resource reference like bucket/models",
    r"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$": "a service principal like codebuild.amazonaws.com",
    r"^[A-Z]{2}[0-9]{3}$": "a lint rule id like DP301 (see `policygen rules`)",
}


def _pattern(regex: str):
    return Annotated[str, StringConstraints(pattern=regex)]


Name = _pattern(NAME_PATTERN)
AccountId = _pattern(r"^\d{12}$")
OrgId = _pattern(r"^o-[a-z0-9]{10,32}$")
OuId = _pattern(r"^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$")
RootId = _pattern(r"^r-[0-9a-z]{4,32}$")
VpcId = _pattern(r"^vpc-[0-9a-f]{8,17}$")
VpceId = _pattern(r"^vpce-[0-9a-f]{8,17}$")
Region = _pattern(r"^[a-z]{2}(-[a-z]+)+-\d$")
def _bucket_rules(value: str) -> str:
    # S3 naming rules the pattern cannot say without look-around
    if ".." in value or value.startswith("xn--") or value.endswith("-s3alias"):
        raise ValueError(f"'{value}' breaks S3 bucket naming rules ('..', 'xn--' prefix, '-s3alias' suffix)")
    return value


BucketName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"), AfterValidator(_bucket_rules)]
RoleRefText = _pattern(r"^[a-z0-9][a-z0-9-]*/role/[A-Za-z0-9+=,.@_-]{1,64}$")
ResourceRefText = _pattern(r"^(bucket|key|repository|model-package-group|team)/[a-z0-9][a-z0-9-]*$")
ServicePrincipal = _pattern(r"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$")


def _ipv4_network(value: str) -> str:
    try:
        net = ipaddress.IPv4Network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not an IPv4 CIDR block ({exc})") from None
    return str(net)


Cidr = Annotated[str, AfterValidator(_ipv4_network)]

# VPC endpoint services an ML platform uses; the key names the service, the value the endpoint.
EndpointService = Literal[
    "s3", "kms", "sts", "sagemaker-api", "sagemaker-runtime", "sagemaker-featurestore-runtime",
    "sagemaker-studio", "sagemaker-notebook", "ecr-api", "ecr-dkr", "logs", "events", "monitoring",
    "ssm", "secretsmanager", "glue", "athena", "codeartifact-api", "codeartifact-repositories",
    "servicecatalog", "cloudformation", "lambda", "execute-api", "sns", "sqs", "states",
    "codecommit", "git-codecommit", "codebuild", "codepipeline", "ram", "ec2",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[0-9]{3}$")]


class SuppressSpec(Strict):
    rule: RuleId = Field(description="The lint rule to silence for findings that come from this entry")
    reason: Annotated[str, StringConstraints(min_length=10)] = Field(description="Why the finding is accepted")
    expires: _dt.date | None = Field(default=None, strict=False, description="After this day the finding comes back")


class Suppressible(Strict):
    suppress: list[SuppressSpec] = Field(default_factory=list, description="Lint findings accepted for this entry")


class OuSpec(Strict):
    """A nested OU: its id and the OU it sits in (the organization root when no parent is given)."""

    id: OuId = Field(description="The OU id")
    parent: Name | None = Field(default=None, description="Name of the OU this one sits in; the root when absent")


def _ou_form(value) -> str:
    return "[nested]" if isinstance(value, dict) else "[id]"


# `name: ou-...` (an OU directly under the root, as in version 1 files) or `name: {id: ou-..., parent: ...}`.
# The tags are bracketed so that error locations skip them, as they skip pydantic's own segments.
OuEntry = Annotated[
    Annotated[OuId, Tag("[id]")] | Annotated[OuSpec, Tag("[nested]")],
    Discriminator(_ou_form),
]


class OrganizationSpec(Strict):
    id: OrgId = Field(description="AWS Organizations id; drives aws:PrincipalOrgID conditions")
    partition: Literal["aws", "aws-cn", "aws-us-gov"] = "aws"
    home_region: Region = Field(description="Region of regional resources (feature groups, pipelines, buses)")
    regions: list[Region] = Field(min_length=1, description="Regions the region guardrail allows")
    management_account: Name = Field(description="Account name of the Organizations management account")
    ous: dict[Name, OuEntry] = Field(default_factory=dict, description="OU name: OU id, or {id, parent} for a nested OU")
    root: RootId | None = Field(default=None, description="The organization root id (r-...); needed for aws:PrincipalOrgPaths conditions")


class NetworkSpec(Strict):
    vpc: VpcId | None = None
    private_cidrs: list[Cidr] = Field(default_factory=list, description="Ranges seen as aws:VpcSourceIp")
    endpoints: dict[EndpointService, VpceId] = Field(default_factory=dict, description="service: VPC endpoint id")


class AccountSpec(Suppressible):
    id: AccountId
    stage: Literal["management", "shared-services", "data", "dev", "test", "staging", "prod", "hub"]
    ou: Name | None = None
    network: NetworkSpec | None = None


class KeySpec(Suppressible):
    account: Name
    vpc_only: bool = False
    admins: list[RoleRefText] = Field(default_factory=list, description="Roles that administer the key")


class BucketSpec(Suppressible):
    name: BucketName = Field(description="The real S3 bucket name")
    account: Name
    key: Name = Field(description="The KMS key (from keys) that encrypts the bucket")
    vpc_only: bool = False
    versioning: bool = False


class RepositorySpec(Suppressible):
    account: Name
    immutable_tags: bool = True


class TeamSpec(Suppressible):
    account: Name
    read: list[Name] = Field(default_factory=list, description="Buckets the team reads")
    write: list[Name] = Field(default_factory=list, description="Buckets the team writes (and reads)")


class StudioSpec(Suppressible):
    account: Name
    access_from: list[Cidr] = Field(min_length=1)


class DeploymentSpec(Suppressible):
    source: Name
    models_bucket: Name
    images: Name
    targets: list[Name] = Field(min_length=1, description="Accounts or OUs (an OU stands for every account in it and its child OUs)")
    stackset_admin: Name
    permission_model: Literal["self-managed", "service-managed"] = "self-managed"


class RegistryGroupSpec(Suppressible):
    spokes: list[Name] = Field(min_length=1)


class ModelRegistrySpec(Suppressible):
    hub: Name
    pattern: Literal["push", "pull"]
    artifacts_bucket: Name
    images: Name
    groups: dict[Name, RegistryGroupSpec] = Field(min_length=1)


class FeatureGroupSpec(Suppressible):
    share: dict[Name, Literal["read-only", "read-write", "admin"]] = Field(default_factory=dict)


class FeatureStoreSpec(Suppressible):
    owner: Name
    discoverable_by: list[Name] = Field(default_factory=list)
    feature_groups: dict[Name, FeatureGroupSpec] = Field(default_factory=dict)


class PipelineSpec(Suppressible):
    account: Name
    share: dict[Name, Literal["read-only", "allow-execution"]] = Field(default_factory=dict)


class GuardrailsSpec(Suppressible):
    attach_to: list[Name] = Field(min_length=1, description="OU or account names the SCPs attach to")
    require_vpc_for_sagemaker_jobs: bool = False
    require_volume_encryption: bool = False
    deny_regions_outside_allowed: bool = False
    studio_access_from: list[Cidr] = Field(default_factory=list)


class GrantSpec(Suppressible):
    principal: RoleRefText
    resource: ResourceRefText
    access: Literal["read", "write", "admin"]
    why: Annotated[str, StringConstraints(min_length=3)] = Field(description="Why this access exists")


class RoleSpec(Suppressible):
    account: Name
    trusted_services: list[ServicePrincipal] = Field(default_factory=list)
    trusted_roles: list[RoleRefText] = Field(default_factory=list)


class OrgFile(Strict):
    """A policygen organization file."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="policygen organization file")

    version: Literal[1]
    organization: OrganizationSpec
    accounts: dict[Name, AccountSpec] = Field(min_length=1)
    keys: dict[Name, KeySpec] = Field(default_factory=dict)
    buckets: dict[Name, BucketSpec] = Field(default_factory=dict)
    ecr_repositories: dict[Name, RepositorySpec] = Field(default_factory=dict)
    teams: dict[Name, TeamSpec] = Field(default_factory=dict)
    studio: StudioSpec | None = None
    deployment: DeploymentSpec | None = None
    model_registry: ModelRegistrySpec | None = None
    feature_store: FeatureStoreSpec | None = None
    pipelines: dict[Name, PipelineSpec] = Field(default_factory=dict)
    guardrails: GuardrailsSpec | None = None
    grants: list[GrantSpec] = Field(default_factory=list)
    roles: dict[Name, RoleSpec] = Field(default_factory=dict)


def json_schema() -> dict:
    schema = OrgFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://policygen.dev/schema/org-v1.json"
    return schema
