"""The kinds of artifact a build holds and of policy document the linter and the evaluator read.

The names are the manifest's `kind` values; every other module uses these constants.
"""

from __future__ import annotations

IDENTITY, TRUST, SCP = "identity-policy", "trust-policy", "scp"
RCP = "rcp"  # resource control policy (Organizations): evaluated like SCPs, on the resource's account
BUCKET, KEY, REPOSITORY = "bucket-policy", "key-policy", "repository-policy"
MODEL_PACKAGE_GROUP, EVENT_BUS, SHARE = "model-package-group-policy", "event-bus-policy", "resource-share"
ROLE, TEMPLATE, STACKSET = "iam-role", "cfn-template", "stackset"
# A resource policy of a service policygen does not generate (SQS, SNS, Secrets Manager, Backup, Lambda,
# API Gateway, OpenSearch, Glue, CloudWatch Logs, ...): the rules every resource policy obeys apply.
RESOURCE = "resource-policy"

RESOURCE_POLICIES = frozenset({BUCKET, KEY, REPOSITORY, MODEL_PACKAGE_GROUP, EVENT_BUS, RESOURCE})
PRINCIPAL_POLICIES = RESOURCE_POLICIES | {TRUST}
IAM_POLICIES = PRINCIPAL_POLICIES | {IDENTITY, SCP, RCP}
KINDS = tuple(sorted(IAM_POLICIES | {SHARE}))  # what `lint --kind` accepts
LINT_ONLY = frozenset({RESOURCE, RCP})  # kinds the linter reads in hand-written input; no build holds them (yet)
ARTIFACT_KINDS = frozenset((IAM_POLICIES - LINT_ONLY) | {SHARE, ROLE, TEMPLATE, STACKSET})
# A VPC endpoint's policy (AWS::EC2::VPCEndpoint PolicyDocument): read by the evaluator, not linted.
ENDPOINT = "vpc-endpoint-policy"

# The resource a resource policy guards (the access graph's resource kinds).
RESOURCE_OF = {BUCKET: "bucket", KEY: "key", REPOSITORY: "repository",
               MODEL_PACKAGE_GROUP: "model-package-group", EVENT_BUS: "event-bus"}
