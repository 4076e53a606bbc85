"""The essentials of each seed article, asserted on the reference build."""

from __future__ import annotations

import pytest

from policygen.generate import ram
from policygen.loader import load_org
from tests.conftest import REFERENCE

ORG = load_org(REFERENCE)
ACCOUNT = {name: a.id for name, a in ORG.accounts.items()}


def doc(by_path, path):
    return by_path[path].data


def statement(document, sid):
    [found] = [s for s in document["Statement"] if s["Sid"] == sid]
    return found


def as_list(value):
    return value if isinstance(value, list) else [value]


def endpoints_of(accounts, service):
    return sorted({ORG.accounts[a].endpoint(service) for a in accounts} - {None})


# -- seed 003: DenyNoVPC on vpc_only bucket and key policies --------------------------------------
@pytest.mark.parametrize("bucket,users", [
    ("models", ["dev", "staging", "prod", "shared"]),  # team1 writes; model roles and ci-pipeline read
    ("data", ["dev"]),
    ("hub-models", ["shared"]),  # push pattern: only the hub role uses it; publishers never read it (issue 11)
])
def test_vpc_only_bucket_denies_outside_the_users_endpoints(by_path, bucket, users):
    deny = statement(doc(by_path, f"policies/{ORG.buckets[bucket].account}/bucket-policy/{bucket}.json"), "DenyNoVPC")
    assert deny["Effect"] == "Deny" and deny["Principal"] == "*"
    assert deny["Condition"] == {"StringNotEquals": {"aws:SourceVpce": endpoints_of(users, "s3")}}
    name = ORG.buckets[bucket].bucket_name
    assert sorted(deny["Resource"]) == [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]
    assert {"s3:GetObject", "s3:PutObject", "s3:ListBucket"} <= set(deny["Action"])


@pytest.mark.parametrize("key,users", [("models-key", ["dev", "staging", "prod", "shared"]), ("hub-key", ["shared"])])
def test_vpc_only_key_denies_direct_calls_outside_the_users_endpoints(by_path, key, users):
    deny = statement(doc(by_path, f"policies/{ORG.keys[key].account}/key-policy/{key}.json"), "DenyNoVPC")
    assert deny["Condition"]["StringNotEquals"] == {"aws:SourceVpce": endpoints_of(users, "kms")}
    # S3's own calls to KMS for SSE-KMS carry no endpoint id; they are exempt, nothing else is
    assert deny["Condition"]["Bool"] == {"aws:ViaAWSService": "false"}
    assert {"kms:Decrypt", "kms:GenerateDataKey*"} <= set(deny["Action"])


def test_bucket_policy_has_tls_and_encryption_denies(by_path):
    policy = doc(by_path, "policies/dev/bucket-policy/models.json")
    tls = statement(policy, "DenyInsecureTransport")
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} and tls["Action"] == "s3:*"
    other_key = statement(policy, "DenyUploadsWithAnotherKey")
    assert other_key["Condition"]["StringNotEqualsIfExists"]["s3:x-amz-server-side-encryption-aws-kms-key-id"].endswith("key/models-key")


# -- seed 003: model execution roles are the only cross-account readers of models bucket and key ---
def test_model_execution_role_in_each_target(by_path):
    for target in ORG.deployment.targets:
        role = by_path[f"roles/{target}/SageMakerModelExecutionRole.json"].data
        assert role["DeployedBy"] == "stackset"
        trust = doc(by_path, f"policies/{target}/trust-policy/SageMakerModelExecutionRole.json")
        assert statement(trust, "TrustService")["Principal"] == {"Service": "sagemaker.amazonaws.com"}


def test_cross_account_readers_of_models_bucket_and_key(by_path):
    expected = sorted(
        [f"arn:aws:iam::{ACCOUNT[t]}:role/SageMakerModelExecutionRole" for t in ORG.deployment.targets]
        # plus the declared grant: shared/role/ci-pipeline reads the models bucket
        + [f"arn:aws:iam::{ACCOUNT['shared']}:role/ci-pipeline"]
    )
    bucket = doc(by_path, "policies/dev/bucket-policy/models.json")
    allows = [s for s in bucket["Statement"] if s["Effect"] == "Allow"]
    assert {s["Sid"] for s in allows} == {"CrossAccountReadObjects", "CrossAccountReadBucket"}
    for s in allows:
        assert s["Condition"]["ArnEquals"]["aws:PrincipalArn"] == expected
    key = doc(by_path, "policies/dev/key-policy/models-key.json")
    cross = [s for s in key["Statement"] if s["Effect"] == "Allow" and s["Sid"].startswith("Use")
             and any(ACCOUNT["dev"] not in p for p in as_list(s["Principal"]["AWS"]))]
    assert [s["Sid"] for s in cross] == ["UseReadViaS3"]
    assert cross[0]["Condition"]["ArnEquals"]["aws:PrincipalArn"] == expected
    assert set(as_list(cross[0]["Action"])) == {"kms:Decrypt", "kms:DescribeKey"}


# -- seed 003: the StackSet execution role passes only the model execution role, only to SageMaker --
def test_stackset_execution_role_passes_one_role_to_sagemaker(by_path):
    for target in ORG.deployment.targets:
        policy = doc(by_path, f"policies/{target}/identity-policy/AWSCloudFormationStackSetExecutionRole-policy.json")
        passes = [s for s in policy["Statement"] if "iam:PassRole" in as_list(s["Action"])]
        assert len(passes) == 1
        assert passes[0]["Resource"] == f"arn:aws:iam::{ACCOUNT[target]}:role/SageMakerModelExecutionRole"
        assert passes[0]["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}
        trust = doc(by_path, f"policies/{target}/trust-policy/AWSCloudFormationStackSetExecutionRole.json")
        assert statement(trust, "TrustRoles")["Condition"]["ArnEquals"]["aws:PrincipalArn"] == [
            f"arn:aws:iam::{ACCOUNT['shared']}:role/AWSCloudFormationStackSetAdministrationRole"]


def test_stackset_resource_targets_the_deployment_accounts(by_path):
    template = by_path["templates/shared.yaml"].content.decode()
    assert "Type: AWS::CloudFormation::StackSet" in template
    assert "PermissionModel: SELF_MANAGED" in template
    for target in ORG.deployment.targets:
        assert f'"{ACCOUNT[target]}"' in template


# -- seed 001: push pattern ------------------------------------------------------------------------
def test_push_registry_role_is_assumable_only_by_the_spokes(by_path):
    trust = doc(by_path, "policies/shared/trust-policy/SageMakerModelRegistryRole.json")
    assert [s["Sid"] for s in trust["Statement"]] == ["TrustRoles"]
    spokes = ORG.model_registry.spokes
    assert trust["Statement"][0]["Condition"]["ArnEquals"]["aws:PrincipalArn"] == sorted(
        f"arn:aws:iam::{ACCOUNT[s]}:role/SageMakerModelRegistryPublisherRole" for s in spokes)
    assumers = []
    for artifact in by_path.values():
        if artifact.kind == "identity-policy":
            for s in artifact.data["Statement"]:
                if "sts:AssumeRole" in as_list(s["Action"]) and "SageMakerModelRegistryRole" in str(s["Resource"]):
                    assumers.append(artifact.account)
    assert sorted(assumers) == sorted(spokes)


def test_hub_groups_let_spokes_describe_and_list(by_path):
    for group in ORG.model_registry.groups.values():
        policy = doc(by_path, f"policies/shared/model-package-group-policy/{group.name}.json")
        actions = {a for s in policy["Statement"] for a in as_list(s["Action"])}
        assert actions == {"sagemaker:DescribeModelPackageGroup", "sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"}


# -- seed 000 and 002: RAM shares ------------------------------------------------------------------
def test_feature_store_shares_carry_the_level_permission(by_path):
    shares = {a.name: a.data for a in by_path.values() if a.kind == "resource-share"}
    catalog = shares["feature-store-catalog"]
    assert catalog["PermissionArns"] == ["arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerCatalogResourceSearch"]
    assert catalog["ResourceArns"] == [f"arn:aws:sagemaker:eu-west-1:{ACCOUNT['data']}:sagemaker-catalog/DefaultFeatureGroupCatalog"]
    for group in ORG.feature_store.feature_groups.values():
        for share in group.shares:
            data = shares[f"feature-groups-{share.level}-{share.account}"]
            assert data["PermissionArns"] == [f"arn:aws:ram::aws:permission/{ram.FEATURE_GROUP_PERMISSIONS[share.level]}"]
            assert f"arn:aws:sagemaker:eu-west-1:{ACCOUNT['data']}:feature-group/{group.name}" in data["ResourceArns"]
            assert data["Principals"] == [ACCOUNT[share.account]]
    assert all(s["AllowExternalPrincipals"] is False for s in shares.values())


def test_pipeline_shares_carry_the_level_permission(by_path):
    read_only = by_path["shares/staging/pipeline-sagemaker-pipeline-read-only.json"].data
    execution = by_path["shares/staging/pipeline-sagemaker-pipeline-allow-execution.json"].data
    assert read_only["PermissionArns"] == ["arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSageMakerPipeline"]
    assert execution["PermissionArns"] == ["arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerPipelineAllowExecution"]
    assert read_only["Principals"] == [ACCOUNT["dev"]] and execution["Principals"] == [ACCOUNT["shared"]]


# -- seed 004: teams and Studio ---------------------------------------------------------------------
@pytest.mark.parametrize("team", ["team1", "team2"])
def test_team_roles_carry_the_team_tag_conditions(by_path, team):
    role = by_path[f"roles/dev/SageMakerStudioExecutionRole-{team}.json"].data
    assert role["Tags"] == {"Team": team}
    policy = team_policy(by_path, team)
    create = statement(policy, "CreateTeamResources")
    assert create["Condition"]["StringEquals"] == {"aws:RequestTag/Team": "${aws:PrincipalTag/Team}"}
    assert create["Condition"]["ForAnyValue:StringEquals"] == {"aws:TagKeys": ["Team"]}
    for sid in ("ManageTeamResources", "ReadTeamResources"):
        assert statement(policy, sid)["Condition"] == {"StringEquals": {"sagemaker:ResourceTag/Team": "${aws:PrincipalTag/Team}"}}
    # no domain administration: never granted, and denied as seed 004's SageMakerDeniedServicesPolicy does
    granted = {a for s in policy["Statement"] if s["Effect"] == "Allow" for a in as_list(s["Action"])}
    assert not any("Domain" in a or "UserProfile" in a or a.endswith("*") for a in granted if a.startswith("sagemaker:"))
    assert "sagemaker:CreateDomain" in as_list(statement(policy, "DenyDomainAdministration")["Action"])


def team_policy(by_path, team):
    """The team role's managed policies, merged (the role needs more than one to fit the quota)."""
    paths = sorted(p for p in by_path if p.startswith(f"policies/dev/identity-policy/SageMakerStudioExecutionRole-{team}-policy"))
    return {"Statement": [s for p in paths for s in doc(by_path, p)["Statement"]]}


def test_team2_gets_only_what_it_declares(by_path):
    policy = team_policy(by_path, "team2")
    s3_resources = {r for s in policy["Statement"] for r in as_list(s.get("Resource", [])) if ":s3:::" in r}
    name = ORG.buckets["data"].bucket_name
    assert s3_resources == {f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"}
    s3_actions = {a for s in policy["Statement"] for a in as_list(s["Action"]) if a.startswith("s3:")}
    assert "s3:PutObject" not in s3_actions


def test_presigned_url_only_from_corporate_network(by_path):
    policy = doc(by_path, "policies/dev/identity-policy/SageMakerStudioPresignedUrlRole-policy.json")
    [s] = policy["Statement"]
    assert s["Action"] == "sagemaker:CreatePresignedDomainUrl"
    assert s["Condition"] == {"IpAddress": {"aws:VpcSourceIp": ["10.100.10.0/24"]}}
    scp = doc(by_path, "scps/ml-platform-guardrails.json")
    deny = statement(scp, "DenyStudioOutsideCorporateNetwork")
    assert deny["Condition"] == {"NotIpAddress": {"aws:VpcSourceIp": ["10.100.10.0/24"]}}


def test_guardrails_require_vpc_with_either_key_missing(by_path):
    scp = doc(by_path, "scps/ml-platform-guardrails.json")
    subnets = statement(scp, "DenySageMakerWithoutVpcSubnets")
    groups = statement(scp, "DenySageMakerWithoutVpcSecurityGroups")
    assert subnets["Condition"] == {"Null": {"sagemaker:VpcSubnets": "true"}}
    assert groups["Condition"] == {"Null": {"sagemaker:VpcSecurityGroupIds": "true"}}
    assert set(subnets["Action"]) == {"sagemaker:CreateNotebookInstance", "sagemaker:CreateHyperParameterTuningJob",
                                      "sagemaker:CreateProcessingJob", "sagemaker:CreateTrainingJob", "sagemaker:CreateModel"}
