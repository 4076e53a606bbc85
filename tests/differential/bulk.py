"""Many requests at once, drawn with a seeded random generator (not hypothesis): enough of them
(over 10,000) to cover every layer the evaluator knows, cheap enough to send to iam-simulate in
batches within a few seconds.

Besides the reference build as generated, a "layered" copy of it carries what the build does not
use yet: resource control policies (at the root, on an OU, on an account), permissions boundaries on
some roles, VPC endpoint policies on some endpoints, and session policies drawn per request. Their
conditions use the organization keys (aws:PrincipalOrgPaths, aws:ResourceOrgPaths,
aws:ResourceOrgID, aws:ResourceAccount, aws:PrincipalAccount) that the World fills in.
"""

from __future__ import annotations

import random
from dataclasses import replace

from policygen.access.declared import forward_access_context, path_requests, unencrypted_uploads
from policygen.access.evaluate import Inputs, Request
from policygen.access.world import World
from policygen.model.facts import ResourceFacts
from policygen.model.finding import Location
from policygen.model.kinds import ENDPOINT, IDENTITY, RCP
from policygen.policydoc.document import PolicyDoc
from tests.differential.requests import (ACTIONS, CONTEXT_CHANGES, OTHER_ORG, SERVICES, action_and_resource, fitting,
                                         resource_arns, with_context_change)

ORG = "o-a1b2c3d4e5"


def _doc(kind: str, name: str, *statements, targets: list[str] = ()) -> PolicyDoc:
    return PolicyDoc(kind, {"Version": "2012-10-17", "Statement": list(statements)},
                     Location(f"(differential) {name}", 1), name=name, declared=ResourceFacts(targets=tuple(targets)))


# Resource control policies: Deny-only, Principal "*" (RCP syntax), in the data perimeter's shape.
RCPS = [
    _doc(RCP, "rcp-org-only", {
        "Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*", "Action": ["s3:*", "kms:*", "sts:AssumeRole"],
        "Resource": "*",
        "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": ORG},
                      "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}),
    _doc(RCP, "rcp-tls", {
        "Sid": "EnforceTls", "Effect": "Deny", "Principal": "*", "Action": ["s3:*", "ecr:*"], "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, targets=["ml-prod"]),
    _doc(RCP, "rcp-assume-from-dev-ou", {
        "Sid": "AssumeOnlyFromKnownOus", "Effect": "Deny", "Principal": "*", "Action": "sts:*", "Resource": "*",
        "Condition": {"ForAllValues:StringNotLike": {"aws:PrincipalOrgPaths": [f"{ORG}/*/ou-ab12-11111111/",
                                                                                f"{ORG}/*/ou-ab12-33333333/"]}}},
        targets=["666666666666"]),
    _doc(RCP, "rcp-kms-via-s3", {
        "Sid": "KeysOnlyThroughS3OrEndpoints", "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
        "Condition": {"StringNotEqualsIfExists": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"},
                      "Null": {"aws:SourceVpce": "true"}}}, targets=["ml-shared"]),
]

BOUNDARIES = {
    # A team may use data services but not touch IAM or STS.
    "arn:aws:iam::444444444444:role/SageMakerStudioExecutionRole-team1": _doc(IDENTITY, "boundary-team", {
        "Effect": "Allow", "Action": ["s3:*", "kms:*", "ecr:*", "sagemaker:*"], "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceOrgID": ORG}}}),
    # Only within its own organization path and account.
    "arn:aws:iam::666666666666:role/AWSCloudFormationStackSetExecutionRole": _doc(IDENTITY, "boundary-deployer", {
        "Effect": "Allow", "Action": ["iam:PassRole", "iam:GetRole", "sagemaker:*", "cloudformation:*"], "Resource": "*"}),
    "arn:aws:iam::222222222222:role/SageMakerModelRegistryRole": _doc(IDENTITY, "boundary-registry", {
        "Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"ForAnyValue:StringLike": {"aws:ResourceOrgPaths": [f"{ORG}/*"]}}}, {
        "Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}),
    "arn:aws:iam::555555555555:role/SageMakerModelExecutionRole": _doc(IDENTITY, "boundary-model", {
        "Effect": "Allow", "Action": ["s3:GetObject", "ecr:*", "kms:Decrypt"], "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceAccount": ["222222222222", "555555555555"]}}}),
}

ENDPOINT_POLICIES = {
    "vpce-0b82e29a828790da2": _doc(ENDPOINT, "vpce-dev-s3", {  # dev's S3 endpoint: only the organization's principals
        "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"], "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}}),
    "vpce-0a22222222222222a": _doc(ENDPOINT, "vpce-shared-kms", {  # shared's KMS endpoint: the hub's keys only
        "Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceAccount": "222222222222"}}}),
    "vpce-03d9ed0a1ba396ff5": _doc(ENDPOINT, "vpce-prod-s3", {  # prod's S3 endpoint: SageMaker roles, reading
        "Effect": "Allow", "Principal": "*", "Action": ["s3:Get*", "s3:List*"], "Resource": "*",
        "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/SageMaker*"}}}, {
        "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "666666666666"}}}),
    "vpce-0a11111111111111a": _doc(ENDPOINT, "vpce-shared-s3", {  # shared's S3 endpoint: one principal
        "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*",  # (iam-simulate takes only "*" here)
        "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/SageMakerModelRegistryRole"}}}),
}

SESSIONS = [
    _doc(IDENTITY, "session-read", {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "kms:Decrypt", "ecr:BatchGetImage"],
                                    "Resource": "*"}),
    _doc(IDENTITY, "session-all", {"Effect": "Allow", "Action": "*", "Resource": "*"}),
    _doc(IDENTITY, "session-org-paths", {"Effect": "Allow", "Action": "*", "Resource": "*",
                                         "Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [f"{ORG}/*/ou-ab12-22222222/"]}}}),
    _doc(IDENTITY, "session-no-kms", {"Effect": "Allow", "NotAction": "kms:*", "Resource": "*"}),
]

# Resource-policy statements granting by organization path or account, added to a copy of the real policy.
ORG_GRANTS = [
    {"Sid": "OrgPathGrant", "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "ecr:BatchGetImage", "kms:Decrypt",
                                                                          "sagemaker:DescribeModelPackageGroup"],
     "Resource": "*", "Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": [f"{ORG}/*/ou-ab12-11111111/*"]}}},
    {"Sid": "AccountGrant", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
     "Condition": {"StringEquals": {"aws:PrincipalAccount": ["555555555555", "999988887777"], "aws:ResourceOrgID": ORG}}},
    {"Sid": "DenyOutsideOrgPaths", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
     "Condition": {"ForAllValues:StringNotLike": {"aws:PrincipalOrgPaths": [f"{ORG}/*"]},
                   "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}},
]


def layered(world: World) -> World:
    """The world with RCPs, boundaries and endpoint policies added (the same World object, changed)."""
    world.rcps = list(RCPS)
    for arn, boundary in BOUNDARIES.items():
        world.principals[arn].boundary = boundary
    world.endpoint_policies.update(ENDPOINT_POLICIES)
    world.__dict__.pop("_rcp_levels", None)
    return world


def _with_statement(doc: PolicyDoc | None, statement: dict) -> PolicyDoc | None:
    if doc is None:
        return None
    body = {**doc.body, "Statement": [*doc.body["Statement"], statement]}
    return PolicyDoc(doc.kind, body, doc.location, name=doc.name, account_id=doc.account_id)


def _context(rng: random.Random, world: World) -> dict:
    endpoints = sorted({v for eps in world.facts.endpoints.values() for v in eps.values()})
    options = {
        "aws:SourceVpce": endpoints + ["vpce-0fedcba9876543210"],
        "aws:SecureTransport": ["true", "false"],
        "aws:ViaAWSService": ["true", "false"],
        "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "sagemaker.eu-west-1.amazonaws.com"],
        "aws:PrincipalOrgID": [ORG, OTHER_ORG],
        "iam:PassedToService": ["sagemaker.amazonaws.com", "lambda.amazonaws.com"],
        "s3:x-amz-server-side-encryption": ["aws:kms", "AES256"],
        "aws:PrincipalOrgPaths": [[f"{ORG}/r-ab12/ou-ab12-99999999/"], [f"{OTHER_ORG}/r-zz99/"]],
    }
    return {key: rng.choice(values) for key, values in options.items() if rng.random() < 0.25}


def random_request(rng: random.Random, world: World) -> Request:
    accounts = sorted(set(world.account_ids.values()))
    principals = sorted(world.principals)
    principal = rng.choice([rng.choice(principals), rng.choice(principals), rng.choice(principals),
                            f"arn:aws:iam::{rng.choice(accounts)}:role/SomebodyElse",
                            "arn:aws:iam::999988887777:role/Stranger", rng.choice(SERVICES)])
    arn = rng.choice(sorted(world.resources))
    kind = world.resources[arn].kind
    action, resource = action_and_resource(rng.choice, rng.choice, world, arn, kind)
    return world.request(principal, action, resource, _context(rng, world))


def declared_requests(world: World) -> list[Request]:
    """Every declared path as made, each with one thing changed, the uploads without their headers,
    and the KMS calls S3 makes for them."""
    out: list[Request] = []
    for access in world.facts.accesses or ():
        made = path_requests(world, access)  # access.declared.PATH_ACTIONS: the platform's own list
        out.extend(made)
        out.extend(unencrypted_uploads(world, access))
        for request in list(made):
            for change in (*CONTEXT_CHANGES, "other-action", "stranger"):
                context = with_context_change(request.context, change)
                principal, action, resource = request.principal, request.action, request.resource
                if change == "stranger":
                    principal = "arn:aws:iam::999988887777:role/Stranger"
                    context = {k: v for k, v in context.items() if not k.startswith(("aws:Principal", "kms:CallerAccount"))}
                elif change == "other-action":
                    for other in ACTIONS[access.target_kind]:
                        fits = fitting(other, resource_arns(world, world.resource_of(resource).arn, access.target_kind))
                        if other != action and fits:
                            action, resource = other, fits[0]
                            break
                out.append(world.request(principal, action, resource, context))
        if access.via == "s3":
            for action in ("kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt"):
                out.append(world.request(access.principal, action, access.target,
                                         forward_access_context(world, access.target, access.principal.split(":")[4])))
    return out


PERTURBATIONS = {
    "no identity policies": lambda i, rng: replace(i, identity=[]),
    "resource policy without conditions": lambda i, rng: replace(i, resource=_without_conditions(i.resource)),
    "no SCPs": lambda i, rng: replace(i, scp_levels=[], scp_names=[]),
    "session policy": lambda i, rng: replace(i, session=rng.choice(SESSIONS)),
    "organization grants in the resource policy": lambda i, rng: replace(i, resource=_with_statement(i.resource, rng.choice(ORG_GRANTS))),
}


def _without_conditions(doc: PolicyDoc | None) -> PolicyDoc | None:
    if doc is None:
        return None
    body = {**doc.body, "Statement": [{k: v for k, v in st.items() if k != "Condition"} for st in doc.body["Statement"]]}
    return PolicyDoc(doc.kind, body, doc.location, name=doc.name)


def _comparable(world: World, request: Request) -> Request:
    """The request on an ARN of a type its action takes (iam-simulate refuses the others)."""
    if fitting(request.action, [request.resource]):
        return request
    resource = world.resource_of(request.resource)
    fits = fitting(request.action, resource_arns(world, resource.arn, resource.kind)) if resource else []
    return world.request(request.principal, request.action, fits[0], dict(request.context)) if fits else request


def cases(world: World, count: int, seed: int, perturb: bool = True) -> list[tuple[str, Request, Inputs]]:
    """(label, request, inputs): the declared requests, then random ones, some with a perturbation."""
    rng = random.Random(seed)
    out: list[tuple[str, Request, Inputs]] = [("declared", r, world.inputs(r))
                                              for r in map(lambda r: _comparable(world, r), declared_requests(world))]
    declared = [r for _, r, _ in out]
    while len(out) < count:
        request = random_request(rng, world) if rng.random() < 0.7 else rng.choice(declared)
        inputs = world.inputs(request)
        label = "random"
        if perturb and rng.random() < 0.4:
            label = rng.choice(sorted(PERTURBATIONS))
            if label == "session policy" and (not request.is_identity or ":role/" not in request.principal):
                label = "random"
            else:
                inputs = PERTURBATIONS[label](inputs, rng)
        out.append((label, request, inputs))
    return out
