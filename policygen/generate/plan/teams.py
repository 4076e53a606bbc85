"""Studio teams and the Studio domain (seed 004): per-team execution roles with ABAC."""

from __future__ import annotations

from policygen.generate.arns import Arns
from policygen.generate.plan.model import Access, Plan, RoleSpec, Target
from policygen.model import names
from policygen.model.org import Org
from policygen.model.policy import Statement

TEAM_TAG = "Team"
# Seed 004's SageMakerStudioDeveloperAccessPolicy: lifecycle actions allowed on the team's own resources.
TEAM_LIFECYCLE_ACTIONS = (
    "sagemaker:Delete*", "sagemaker:Stop*", "sagemaker:Update*", "sagemaker:Start*",
    "sagemaker:AssociateTrialComponent", "sagemaker:DisassociateTrialComponent", "sagemaker:BatchPutMetrics",
)


def _account_sagemaker_arns(arns: Arns, account: str) -> list[str]:
    regions = arns.org.organization.regions
    return [f"arn:{arns.partition}:sagemaker:{r}:{arns.account_id(account)}:*" for r in regions]


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
        resources = _account_sagemaker_arns(arns, team.account)
        role.extra_statements += [
            Statement(
                sid="AmazonSageMakerCreate", effect="Allow", action=("sagemaker:Create*",), resource=resources,
                condition={
                    "ForAnyValue:StringEquals": {"aws:TagKeys": [TEAM_TAG]},
                    "StringEqualsIfExists": {f"aws:RequestTag/{TEAM_TAG}": f"${{aws:PrincipalTag/{TEAM_TAG}}}"},
                },
                source=team.span,
                reason="seed 004 ABAC: any SageMaker create, but only when the new resource carries the caller's Team tag",
            ),
            Statement(
                sid="AmazonSageMakerUpdateDeleteExecute", effect="Allow", action=TEAM_LIFECYCLE_ACTIONS,
                resource=resources,
                condition={"StringEquals": {f"sagemaker:ResourceTag/{TEAM_TAG}": f"${{aws:PrincipalTag/{TEAM_TAG}}}"}},
                source=team.span,
                reason="seed 004 ABAC: lifecycle actions only on resources tagged with the caller's own Team",
            ),
        ]
        for bucket in team.read:
            plan.grant(Access(role.ref, Target("bucket", org.buckets[bucket].account, bucket), "read",
                              team.item_spans[f"read/{bucket}"], f"team {team.name} reads {bucket}"))
        for bucket in team.write:
            plan.grant(Access(role.ref, Target("bucket", org.buckets[bucket].account, bucket), "write",
                              team.item_spans[f"write/{bucket}"], f"team {team.name} writes {bucket}"))


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
