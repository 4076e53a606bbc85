"""Studio teams and the Studio domain (seed 004): per-team execution roles with ABAC.

Seed 004 gives each team role three policies besides its data access: a read-only policy, a
supporting-services policy and the developer-access policy (tag-scoped creates and lifecycle),
plus a deny-only policy that keeps domain administration with the platform. The seed's
`sagemaker:Create*` / `Delete*` on `arn:aws:sagemaker:*:<account>:*` would also allow
CreateDomain, DeleteDomain and CreateUserProfile, so the actions are spelled out per ML activity
(after SageMaker Role Manager's activities) and per resource type, and every one is Team-scoped.
"""

from __future__ import annotations

from policygen.generate.arns import Arns
from policygen.generate.plan.deployment import VPC_DESCRIBE_ACTIONS, VPC_ENI_WRITE_ACTIONS
from policygen.generate.plan.model import Access, Plan, RoleSpec, Target
from policygen.model import names
from policygen.model.org import Org, Team
from policygen.model.policy import Statement

TEAM_TAG = "Team"
PRINCIPAL_TEAM = f"${{aws:PrincipalTag/{TEAM_TAG}}}"


class Activity:
    """One ML activity: the SageMaker resource types it works on and the actions per kind of use."""

    def __init__(self, types, create, manage, describe, list_=()):
        self.types, self.create, self.manage, self.describe, self.list = types, create, manage, describe, list_


# After SageMaker Role Manager's ML activities (Run Studio Applications, Manage ML Jobs, Manage
# Models, Manage Model Endpoints); action names checked against the catalogue by a test.
ACTIVITIES = {
    "studio-apps": Activity(
        types=("app",),
        create=("sagemaker:CreateApp",),
        manage=("sagemaker:DeleteApp",),
        describe=("sagemaker:DescribeApp",),
        list_=("sagemaker:ListApps",),
    ),
    "ml-jobs": Activity(
        types=("training-job", "processing-job", "hyper-parameter-tuning-job"),
        create=("sagemaker:CreateHyperParameterTuningJob", "sagemaker:CreateProcessingJob", "sagemaker:CreateTrainingJob"),
        manage=("sagemaker:StopHyperParameterTuningJob", "sagemaker:StopProcessingJob", "sagemaker:StopTrainingJob"),
        describe=("sagemaker:DescribeHyperParameterTuningJob", "sagemaker:DescribeProcessingJob",
                  "sagemaker:DescribeTrainingJob", "sagemaker:ListTrainingJobsForHyperParameterTuningJob"),
        list_=("sagemaker:ListHyperParameterTuningJobs", "sagemaker:ListProcessingJobs", "sagemaker:ListTrainingJobs"),
    ),
    "models": Activity(
        types=("model",),
        create=("sagemaker:CreateModel",),
        manage=("sagemaker:DeleteModel",),
        describe=("sagemaker:DescribeModel",),
        list_=("sagemaker:ListModels",),
    ),
    "endpoints": Activity(
        types=("endpoint-config", "endpoint"),
        create=("sagemaker:CreateEndpoint", "sagemaker:CreateEndpointConfig"),
        manage=("sagemaker:DeleteEndpoint", "sagemaker:DeleteEndpointConfig", "sagemaker:UpdateEndpoint"),
        describe=("sagemaker:DescribeEndpoint", "sagemaker:DescribeEndpointConfig", "sagemaker:InvokeEndpoint"),
        list_=("sagemaker:ListEndpointConfigs", "sagemaker:ListEndpoints"),
    ),
}
# Seed 004's SageMakerDeniedServicesPolicy: domain administration stays with the platform.
DOMAIN_ADMIN_ACTIONS = (
    "sagemaker:CreateDomain", "sagemaker:CreateUserProfile", "sagemaker:DeleteDomain", "sagemaker:DeleteUserProfile",
    "sagemaker:UpdateDomain", "sagemaker:UpdateUserProfile",
)
# Jobs run as the team role and write their logs under SageMaker's log groups; the team reads them.
JOB_LOG_READ_ACTIONS = ("logs:DescribeLogStreams", "logs:FilterLogEvents", "logs:GetLogEvents")
JOB_LOG_WRITE_ACTIONS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")
# Volume encryption with a customer managed key: SageMaker Role Manager's activities grant kms:CreateGrant with
# kms:GrantIsForAWSResource and kms:ViaService sagemaker; the EBS user guide ("Requirements for Amazon EBS
# encryption") adds Decrypt, DescribeKey and GenerateDataKeyWithoutPlaintext for the user whose volume it is.
# Not kms:ReEncrypt*: EBS needs it only to re-encrypt a volume restored from a snapshot under another key, which
# SageMaker's fresh job and endpoint volumes never are.
VOLUME_KEY_GRANT_ACTIONS = ("kms:CreateGrant",)
VOLUME_KEY_USE_ACTIONS = ("kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext")


def team_activities(team: Team) -> list[Activity]:
    return [ACTIVITIES[a] for a in team.activities]


def _resources(arns: Arns, account: str, types) -> tuple[str, ...]:
    account_id = arns.account_id(account)
    return tuple(f"arn:{arns.partition}:sagemaker:{r}:{account_id}:{t}/*"
                 for r in arns.org.organization.regions for t in types)


def _logs(arns: Arns, account: str) -> tuple[str, ...]:
    account_id = arns.account_id(account)
    return tuple(f"arn:{arns.partition}:logs:{r}:{account_id}:log-group:/aws/sagemaker/*"
                 for r in arns.org.organization.regions)


def team_volume_keys(org: Org, team: Team) -> tuple[str, ...]:
    """The keys a team's jobs and endpoint configs encrypt their volumes and outputs with: the keys of the buckets
    it declares (its jobs read inputs from and write outputs to those buckets, under their keys) and the keys it
    names in volume_keys."""
    if not (ACTIVITIES["ml-jobs"] in team_activities(team) or ACTIVITIES["endpoints"] in team_activities(team)):
        return ()
    return tuple(sorted({org.buckets[b].key for b in (*team.read, *team.write)} | set(team.volume_keys)))


def team_statements(arns: Arns, team: Team, role_arn: str) -> list[Statement]:
    activities = team_activities(team)
    if not activities:
        return []
    out = _sagemaker_statements(arns, team, activities)
    out += _pass_and_log_statements(arns, team, activities, role_arn)
    out += _network_statements(arns, team, activities)
    out += volume_key_statements(arns, team)
    if team.images:
        out.append(Statement(
            sid="GetRegistryToken", effect="Allow", action=("ecr:GetAuthorizationToken",), resource=("*",),
            source=team.span, reason="ecr:GetAuthorizationToken accepts no resource ARN; the repository policies decide what is pulled",
        ))
    return out


def _sagemaker_statements(arns: Arns, team: Team, activities: list[Activity]) -> list[Statement]:
    """Tag-scoped creates, lifecycle and reads of the team's own SageMaker resources; domain administration denied."""
    resources = _resources(arns, team.account, tuple(t for a in activities for t in a.types))
    span = team.span
    own_tag = {"StringEquals": {f"sagemaker:ResourceTag/{TEAM_TAG}": PRINCIPAL_TEAM}}
    named = "resource names are chosen per job or deployment; the Team tag condition is the restriction (seed 004)"
    return [
        Statement(
            sid="CreateTeamResources", effect="Allow", action=tuple(x for a in activities for x in a.create),
            resource=resources,
            condition={"StringEquals": {f"aws:RequestTag/{TEAM_TAG}": PRINCIPAL_TEAM},
                       "ForAnyValue:StringEquals": {"aws:TagKeys": [TEAM_TAG]}},
            source=span, reason=named,
        ),
        Statement(
            sid="TagTeamResourcesOnCreate", effect="Allow", action=("sagemaker:AddTags",), resource=resources,
            condition={"StringEquals": {f"aws:RequestTag/{TEAM_TAG}": PRINCIPAL_TEAM},
                       "StringEqualsIfExists": {f"sagemaker:ResourceTag/{TEAM_TAG}": PRINCIPAL_TEAM},
                       "ForAnyValue:StringEquals": {"aws:TagKeys": [TEAM_TAG]}},
            source=span, reason="SageMaker authorizes the Tags of a Create* call as AddTags: only the caller's Team, never on "
                                "another team's resource",
        ),
        Statement(
            sid="ManageTeamResources", effect="Allow", action=tuple(x for a in activities for x in a.manage),
            resource=resources, condition=own_tag, source=span, reason=named,
        ),
        Statement(
            sid="ReadTeamResources", effect="Allow", action=tuple(x for a in activities for x in a.describe),
            resource=resources, condition=own_tag, source=span, reason=named,
        ),
        Statement(
            sid="ListSageMakerResources", effect="Allow", action=tuple(x for a in activities for x in a.list),
            resource=("*",), source=span,
            reason="SageMaker List* actions accept no resource ARN (Service Authorization Reference)",
        ),
        Statement(
            sid="DenyDomainAdministration", effect="Deny", action=DOMAIN_ADMIN_ACTIONS, resource=("*",), source=span,
            reason="seed 004 SageMakerDeniedServicesPolicy: domain administration stays with the platform, on any domain",
        ),
    ]


def _pass_and_log_statements(arns: Arns, team: Team, activities: list[Activity], role_arn: str) -> list[Statement]:
    """Studio passes the team role to what it starts; jobs and endpoints log under /aws/sagemaker/."""
    out = []
    span = team.span
    if any(a in activities for a in (ACTIVITIES["ml-jobs"], ACTIVITIES["models"], ACTIVITIES["endpoints"])):
        out.append(Statement(
            sid="PassOwnRoleToSageMaker", effect="Allow", action=("iam:PassRole",), resource=(role_arn,),
            condition={"StringEquals": {"iam:PassedToService": arns.service("sagemaker")}}, source=span,
        ))
    if ACTIVITIES["ml-jobs"] in activities or ACTIVITIES["endpoints"] in activities:
        out += [
            Statement(
                sid="ReadJobLogs", effect="Allow", action=JOB_LOG_READ_ACTIONS, resource=_logs(arns, team.account),
                source=span, reason="SageMaker names log groups /aws/sagemaker/<kind> and streams after each job",
            ),
            Statement(
                sid="WriteJobLogs", effect="Allow", action=JOB_LOG_WRITE_ACTIONS, resource=_logs(arns, team.account),
                source=span, reason="jobs run as this role and write their logs under /aws/sagemaker/",
            ),
        ]
    return out


def _network_statements(arns: Arns, team: Team, activities: list[Activity]) -> list[Statement]:
    """Jobs in the account's VPC manage their network interfaces."""
    network = arns.org.accounts[team.account].network
    if ACTIVITIES["ml-jobs"] not in activities or network is None or not network.vpc:
        return []
    account_id = arns.account_id(team.account)
    return [
        Statement(
            sid="ManageJobNetworkInterfaces", effect="Allow", action=VPC_ENI_WRITE_ACTIONS,
            resource=tuple(f"arn:{arns.partition}:ec2:{r}:{account_id}:{kind}/*"
                           for r in arns.org.organization.regions
                           for kind in ("network-interface", "security-group", "subnet")),
            source=team.span, reason="jobs in the VPC get network interfaces whose ids are assigned at creation",
        ),
        Statement(
            sid="DescribeJobNetwork", effect="Allow", action=VPC_DESCRIBE_ACTIONS, resource=("*",),
            source=team.span, reason="EC2 Describe* actions accept no resource ARN",
        ),
    ]


def volume_key_conditions(arns: Arns) -> tuple[dict, dict]:
    """The conditions of volume-key use, on both sides: through SageMaker only, and grants only for AWS resources
    (SageMaker Role Manager's 'Manage ML Jobs' / 'Manage Model Endpoints' activities with volume keys)."""
    via = {"StringEquals": {"kms:ViaService": f"sagemaker.{arns.region}.amazonaws.com"}}
    return via, {**via, "Bool": {"kms:GrantIsForAWSResource": "true"}}


def volume_key_statements(arns: Arns, team: Team) -> list[Statement]:
    """SageMaker creates the grants that encrypt a job's or endpoint's volumes with the caller's permissions
    (CreateGrant, as AWS services do for EBS volumes), and checks and uses the key through the same session."""
    keys = team_volume_keys(arns.org, team)
    if not keys:
        return []
    accounts = sorted({arns.org.keys[k].account for k in keys})
    pinned = {"ForAnyValue:StringEquals": {"kms:ResourceAliases": [arns.key_alias(k) for k in keys]}}
    use, grant = volume_key_conditions(arns)
    why = "KMS assigns key ids at creation, so the keys are pinned by their aliases (kms:ResourceAliases)"
    return [
        Statement(sid="CreateVolumeKeyGrantsThroughSageMaker", effect="Allow", action=VOLUME_KEY_GRANT_ACTIONS,
                  resource=tuple(arns.keys_in(a) for a in accounts), condition={**pinned, **grant}, source=team.span,
                  reason=why),
        Statement(sid="UseVolumeKeysThroughSageMaker", effect="Allow", action=VOLUME_KEY_USE_ACTIONS,
                  resource=tuple(arns.keys_in(a) for a in accounts), condition={**pinned, **use}, source=team.span,
                  reason=why),
    ]


def plan_teams(org: Org, arns: Arns, plan: Plan) -> None:
    for team in org.teams.values():
        role = plan.add_role(RoleSpec(
            account=team.account,
            name=names.team_role(team.name),
            description=f"SageMaker Studio execution role of team {team.name}",
            source=team.span,
            trusted_services=(arns.service("sagemaker"),),
            trust_conditions={"StringEquals": {"aws:SourceAccount": arns.account_id(team.account)}},
            tags={TEAM_TAG: team.name},
        ))
        role.extra_statements += team_statements(arns, team, arns.role(team.account, role.name))
        for bucket in team.read:
            plan.grant(Access(role.ref, Target("bucket", org.buckets[bucket].account, bucket), "read",
                              team.item_spans[f"read/{bucket}"], f"team {team.name} reads {bucket}"))
        for bucket in team.write:
            plan.grant(Access(role.ref, Target("bucket", org.buckets[bucket].account, bucket), "write",
                              team.item_spans[f"write/{bucket}"], f"team {team.name} writes {bucket}"))
        for repo in team.images:
            plan.grant(Access(role.ref, Target("repository", org.repositories[repo].account, repo), "read",
                              team.item_spans[f"images/{repo}"], f"team {team.name}'s jobs pull images from {repo}"))


def plan_studio(org: Org, arns: Arns, plan: Plan) -> None:
    studio = org.studio
    if studio is None:
        return
    role = plan.add_role(RoleSpec(
        account=studio.account,
        name=names.STUDIO_PRESIGNED_URL_ROLE,
        description="Runs the SAML backend that opens Studio: may create presigned domain URLs from the corporate network only",
        source=studio.span,
        trusted_services=(arns.service("lambda"),),
    ))
    role.extra_statements.append(Statement(
        sid="CreatePresignedDomainUrlFromCorporateNetwork", effect="Allow",
        action=("sagemaker:CreatePresignedDomainUrl",),
        resource=(arns.sagemaker(studio.account, "user-profile/*/*"),),
        condition={"IpAddress": {"aws:VpcSourceIp": list(studio.access_from)}},
        source=studio.span,
        reason="domain ids and user profiles are created at run time; the source-IP condition is the restriction (seed 004)",
    ))
