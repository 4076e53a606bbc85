"""RAM resource shares: feature store catalog and feature groups (seed 000), pipelines (seed 002)."""

from __future__ import annotations

from policygen.generate.arns import Arns, logical_id
from policygen.generate.emit import CfnResource, DataFile, Emission
from policygen.model.span import Span
from policygen.model.kinds import SHARE

# AWS managed permissions. Spelling follows the SageMaker developer guide
# (feature-store-cross-account-access.html): read-write and admin are "Sagemaker",
# read-only is "SageMaker". Pipelines: seed 002.
FEATURE_GROUP_PERMISSIONS = {
    "read-only": "AWSRAMPermissionSageMakerFeatureGroupReadOnly",
    "read-write": "AWSRAMPermissionSagemakerFeatureGroupReadWrite",
    "admin": "AWSRAMPermissionSagemakerFeatureGroupAdmin",
}
CATALOG_PERMISSION = "AWSRAMPermissionSageMakerCatalogResourceSearch"
PIPELINE_PERMISSIONS = {
    "read-only": "AWSRAMDefaultPermissionSageMakerPipeline",
    "allow-execution": "AWSRAMPermissionSageMakerPipelineAllowExecution",
}

# What each managed permission allows on the shared resource. Feature groups: SageMaker developer guide,
# "Enabling cross account access" (feature-store-cross-account-access.html; read-write and admin include the
# levels below them). Pipelines: seed 002, which lists both permissions' actions. The catalog permission's
# actions are not published on the pages found (discoverability is sagemaker:Search, which takes no resource
# ARN), so it has no entry: its use is proven on the share alone.
_FEATURE_GROUP_READ = ("sagemaker:BatchGetRecord", "sagemaker:DescribeFeatureGroup", "sagemaker:DescribeFeatureMetadata",
                       "sagemaker:GetRecord")
_FEATURE_GROUP_WRITE = _FEATURE_GROUP_READ + ("sagemaker:DeleteRecord", "sagemaker:PutRecord")
_PIPELINE_READ = ("sagemaker:DescribePipeline", "sagemaker:DescribePipelineDefinitionForExecution",
                  "sagemaker:DescribePipelineExecution", "sagemaker:ListPipelineExecutions",
                  "sagemaker:ListPipelineExecutionSteps", "sagemaker:ListPipelineParametersForExecution", "sagemaker:Search")
PERMISSION_ACTIONS = {
    FEATURE_GROUP_PERMISSIONS["read-only"]: _FEATURE_GROUP_READ,
    FEATURE_GROUP_PERMISSIONS["read-write"]: _FEATURE_GROUP_WRITE,
    FEATURE_GROUP_PERMISSIONS["admin"]: _FEATURE_GROUP_WRITE + ("sagemaker:UpdateFeatureGroup", "sagemaker:UpdateFeatureMetadata"),
    PIPELINE_PERMISSIONS["read-only"]: _PIPELINE_READ,
    PIPELINE_PERMISSIONS["allow-execution"]: _PIPELINE_READ + (
        "sagemaker:RetryPipelineExecution", "sagemaker:StartPipelineExecution", "sagemaker:StopPipelineExecution"),
}


def permission_arn(arns: Arns, name: str) -> str:
    return f"arn:{arns.partition}:ram::aws:permission/{name}"


def _share(arns: Arns, out: Emission, owner: str, name: str, resources: list[str], consumers: list[str],
           permission: str, source: Span, purpose: str) -> None:
    data = {
        "Name": name,
        "Purpose": purpose,
        "AllowExternalPrincipals": False,
        "Principals": sorted(arns.account_id(a) for a in consumers),
        "ResourceArns": sorted(resources),
        "PermissionArns": [permission_arn(arns, permission)],
    }
    out.files.append(DataFile(SHARE, owner, name, data, source))
    out.resources.append(CfnResource(owner, logical_id("share", name), "AWS::RAM::ResourceShare",
                                     {k: v for k, v in data.items() if k != "Purpose"}, source, comment=purpose))


def generate_shares(arns: Arns) -> Emission:
    out = Emission()
    org = arns.org
    fs = org.feature_store
    if fs is not None:
        if fs.discoverable_by:
            _share(arns, out, fs.owner, "feature-store-catalog",
                   [arns.sagemaker(fs.owner, "sagemaker-catalog/DefaultFeatureGroupCatalog")],
                   list(fs.discoverable_by), CATALOG_PERMISSION, fs.span,
                   "feature groups of the owner account are discoverable by these accounts")
        by_consumer: dict[tuple[str, str], list] = {}
        for group in fs.feature_groups.values():
            for share in group.shares:
                by_consumer.setdefault((share.level, share.account), []).append((group, share))
        for (level, account), items in sorted(by_consumer.items()):
            _share(arns, out, fs.owner, f"feature-groups-{level}-{account}",
                   [arns.sagemaker(fs.owner, f"feature-group/{g.name}") for g, _ in items], [account],
                   FEATURE_GROUP_PERMISSIONS[level], items[0][1].span,
                   f"{account} gets {level} access to {', '.join(g.name for g, _ in items)}")
    for pipeline in sorted(org.pipelines.values(), key=lambda p: p.name):
        by_level: dict[str, list] = {}
        for share in pipeline.shares:
            by_level.setdefault(share.level, []).append(share)
        for level, shares in sorted(by_level.items()):
            _share(arns, out, pipeline.account, f"pipeline-{pipeline.name}-{level}",
                   [arns.sagemaker(pipeline.account, f"pipeline/{pipeline.name}")], [s.account for s in shares],
                   PIPELINE_PERMISSIONS[level], shares[0].span,
                   f"pipeline {pipeline.name} shared {level} with {', '.join(s.account for s in shares)}")
    return out
