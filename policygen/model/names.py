"""Fixed names of everything policygen generates. Documented in docs/output.md.

They are fixed so that hand-written policies elsewhere can rely on them and so
that an organization file can refer to them (`staging/role/SageMakerModelExecutionRole`).
"""

STUDIO_TEAM_ROLE = "SageMakerStudioExecutionRole-{team}"
STUDIO_PRESIGNED_URL_ROLE = "SageMakerStudioPresignedUrlRole"
MODEL_EXECUTION_ROLE = "SageMakerModelExecutionRole"
STACKSET_ADMIN_ROLE = "AWSCloudFormationStackSetAdministrationRole"
STACKSET_EXECUTION_ROLE = "AWSCloudFormationStackSetExecutionRole"
REGISTRY_ROLE = "SageMakerModelRegistryRole"
REGISTRY_PUBLISHER_ROLE = "SageMakerModelRegistryPublisherRole"
REGISTRY_SYNC_ROLE = "SageMakerModelRegistrySyncRole"
REGISTRY_FORWARDER_ROLE = "SageMakerModelRegistryEventForwarderRole"
REGISTRY_BUS = "sagemaker-model-registry"
REGISTRY_RULE = "forward-model-package-state-change"
MODEL_DEPLOYMENT_STACKSET = "sagemaker-model-deployment"


def team_role(team: str) -> str:
    return STUDIO_TEAM_ROLE.format(team=team)
