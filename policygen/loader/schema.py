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
    partition: Literal["aws", "aws-cn", "aws-us-gov"] = Field("aws", description="AWS partition of every ARN")
    home_region: Region = Field(description="Region of regional resources (feature groups, pipelines, buses)")
    regions: list[Region] = Field(min_length=1, description="Regions the region guardrail allows")
    management_account: Name = Field(description="Account name of the Organizations management account")
    ous: dict[Name, OuEntry] = Field(default_factory=dict, description="OU name: OU id, or {id, parent} for a nested OU")
    root: RootId | None = Field(default=None, description="The organization root id (r-...); needed for aws:PrincipalOrgPaths conditions")


class NetworkSpec(Strict):
    vpc: VpcId | None = Field(None, description="The account's VPC id")
    private_cidrs: list[Cidr] = Field(default_factory=list, description="Ranges seen as aws:VpcSourceIp")
    endpoints: dict[EndpointService, VpceId] = Field(default_factory=dict, description="service: VPC endpoint id")


class AccountSpec(Suppressible):
    id: AccountId = Field(description="12-digit AWS account id, in quotes")
    stage: Literal["management", "shared-services", "data", "dev", "test", "staging", "prod", "hub"] = Field(
        description="What the account is for")
    ou: Name | None = Field(None, description="OU name (from organization.ous) the account belongs to")
    network: NetworkSpec | None = Field(None, description="VPC, private CIDRs and VPC endpoints; decide which "
                                                          "endpoints may reach vpc_only buckets and keys")


class KeySpec(Suppressible):
    account: Name = Field(description="Account that owns the KMS customer managed key")
    vpc_only: bool = Field(False, description="Deny use from outside the VPC endpoints of the accounts that use the key")
    admins: list[RoleRefText] = Field(default_factory=list, description="Roles that administer the key")


class BucketSpec(Suppressible):
    name: BucketName = Field(description="The real S3 bucket name")
    account: Name = Field(description="Account that owns the bucket")
    key: Name = Field(description="The KMS key (from keys) that encrypts the bucket")
    vpc_only: bool = Field(False, description="Deny access from outside the S3 VPC endpoints of the accounts that use the bucket")
    versioning: bool = Field(False, description="Turn on S3 object versioning")
    access_log_bucket: BucketName | None = Field(
        default=None, description="Real name of an existing bucket (same account and region, SSE-S3) that receives "
                                  "this bucket's S3 server access logs; off when absent")


class RepositorySpec(Suppressible):
    account: Name = Field(description="Account that owns the ECR repository")
    immutable_tags: bool = Field(True, description="Image tags cannot be overwritten")
    encryption: Literal["AES256", "KMS"] = Field(
        default="AES256", description="Image encryption at rest: AES256 (S3-managed) or KMS (the AWS managed key aws/ecr)")


TeamActivity = Literal["studio-apps", "ml-jobs", "models", "endpoints"]


class TeamSpec(Suppressible):
    account: Name = Field(description="Account of the team's SageMaker Studio execution role")
    read: list[Name] = Field(default_factory=list, description="Buckets the team reads")
    write: list[Name] = Field(default_factory=list, description="Buckets the team writes (and reads)")
    images: list[Name] = Field(default_factory=list, description="ECR repositories the team's jobs pull images from")
    volume_keys: list[Name] = Field(
        default_factory=list, description="KMS keys (from keys) the team's jobs and endpoints encrypt volumes and outputs "
                                          "with, beyond the keys of its buckets")
    activities: list[TeamActivity] | None = Field(
        default=None, description="ML activities of the team (after SageMaker Role Manager); default: a data "
                                  "scientist's set, every activity")


class StudioSpec(Suppressible):
    account: Name = Field(description="Account of the SageMaker Studio domain")
    access_from: list[Cidr] = Field(min_length=1, description="CIDRs from which Studio may be opened (aws:VpcSourceIp)")


class DeploymentSpec(Suppressible):
    source: Name = Field(description="Account where models are built")
    models_bucket: Name = Field(description="Bucket (from buckets) in source that holds the models")
    images: Name = Field(description="ECR repository (from ecr_repositories) the targets pull images from")
    targets: list[Name] = Field(min_length=1, description="Accounts or OUs the StackSet deploys models into (an OU stands for every account in it and its child OUs)")
    stackset_admin: Name = Field(description="Account that administers the StackSet")
    permission_model: Literal["self-managed", "service-managed"] = Field(
        "self-managed", description="StackSet permission model")


class RegistryGroupSpec(Suppressible):
    spokes: list[Name] = Field(min_length=1, description="Spoke accounts of this model package group")


class ModelRegistrySpec(Suppressible):
    hub: Name = Field(description="Account of the central model registry")
    pattern: Literal["push", "pull"] = Field(description="push: spokes assume a hub role to register models; "
                                                         "pull: the hub reads the spokes' groups and gets their events")
    artifacts_bucket: Name = Field(description="Bucket (from buckets) in the hub for model artifacts")
    images: Name = Field(description="ECR repository (from ecr_repositories) of the model images")
    groups: dict[Name, RegistryGroupSpec] = Field(min_length=1, description="Model package group name: its spokes")


class FeatureGroupSpec(Suppressible):
    share: dict[Name, Literal["read-only", "read-write", "admin"]] = Field(
        default_factory=dict, description="Account name: access it gets through RAM")


class FeatureStoreSpec(Suppressible):
    owner: Name = Field(description="Account that owns the feature store")
    discoverable_by: list[Name] = Field(default_factory=list, description="Accounts the feature group catalog is shared with")
    feature_groups: dict[Name, FeatureGroupSpec] = Field(default_factory=dict, description="Feature group name: who it is shared with")


class PipelineSpec(Suppressible):
    account: Name = Field(description="Account that owns the SageMaker pipeline")
    share: dict[Name, Literal["read-only", "allow-execution"]] = Field(
        default_factory=dict, description="Account name: access it gets through RAM")


class GuardrailsSpec(Suppressible):
    attach_to: list[Name] = Field(min_length=1, description="OU or account names the SCPs attach to")
    require_vpc_for_sagemaker_jobs: bool = Field(False, description="Deny SageMaker jobs and models created without VPC subnets or security groups")
    require_volume_encryption: bool = Field(False, description="Deny SageMaker jobs and notebooks without a volume KMS key")
    deny_regions_outside_allowed: bool = Field(False, description="Deny regions outside organization.regions (global services exempt)")
    studio_access_from: list[Cidr] = Field(default_factory=list, description="CIDRs from which Studio presigned URLs may be created")
    break_glass_roles: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+=,.@_-]{1,64}$")]] = Field(
        default_factory=list, description="Role names (in any member account) exempt from the region guardrail")


class GrantSpec(Suppressible):
    principal: RoleRefText = Field(description="The role that gets access, as <account>/role/<name>")
    resource: ResourceRefText = Field(description="What it gets access to, as bucket/, key/, repository/, "
                                                  "model-package-group/ or team/<name>")
    access: Literal["read", "write", "admin"] = Field(description="Level of access")
    why: Annotated[str, StringConstraints(min_length=3)] = Field(description="Why this access exists")


class RoleSpec(Suppressible):
    account: Name = Field(description="Account of the role")
    trusted_services: list[ServicePrincipal] = Field(default_factory=list, description="AWS services that may assume the role")
    trusted_roles: list[RoleRefText] = Field(default_factory=list, description="Roles that may assume the role")


class OrgFile(Strict):
    """A policygen organization file."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="policygen organization file")

    version: Literal[1] = Field(description="Format version of the file; 1")
    organization: OrganizationSpec = Field(description="AWS Organizations id, partition, regions, management account, OUs")
    accounts: dict[Name, AccountSpec] = Field(min_length=1, description="Account name: id, stage, OU and network")
    keys: dict[Name, KeySpec] = Field(default_factory=dict, description="KMS customer managed keys by name")
    buckets: dict[Name, BucketSpec] = Field(default_factory=dict, description="S3 buckets by name")
    ecr_repositories: dict[Name, RepositorySpec] = Field(default_factory=dict, description="ECR repositories by name")
    teams: dict[Name, TeamSpec] = Field(default_factory=dict, description="SageMaker Studio teams by name: "
                                                                         "one tagged execution role each")
    studio: StudioSpec | None = Field(None, description="The SageMaker Studio domain and where it may be opened from")
    deployment: DeploymentSpec | None = Field(None, description="Models built in one account, deployed by a StackSet into targets")
    model_registry: ModelRegistrySpec | None = Field(None, description="Hub-and-spoke model registry")
    feature_store: FeatureStoreSpec | None = Field(None, description="Cross-account feature store shared through RAM")
    pipelines: dict[Name, PipelineSpec] = Field(default_factory=dict, description="SageMaker pipelines shared through RAM, by name")
    guardrails: GuardrailsSpec | None = Field(None, description="Service control policies and where they attach")
    grants: list[GrantSpec] = Field(default_factory=list, description="Extra access: a role, a resource, a level and why")
    roles: dict[Name, RoleSpec] = Field(default_factory=dict, description="Extra roles (CI, Lambda) by name")


def json_schema() -> dict:
    schema = OrgFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://policygen.dev/schema/org-v1.json"
    return schema
