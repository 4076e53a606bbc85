"""Cases the AWS documentation settles, each checked against the documented answer and against iam-simulate."""

from __future__ import annotations

import pytest

from policygen.access.evaluate import Inputs, Request, evaluate
from policygen.policydoc.document import PolicyDoc
from policygen.model.finding import Location
from tests.differential.tally import TALLY

ROLE = "arn:aws:iam::111111111111:role/app"
OTHER = "arn:aws:iam::222222222222:role/partner"
OBJECT = "arn:aws:s3:::b/k"


def doc(kind, *statements):
    return PolicyDoc(kind, {"Version": "2012-10-17", "Statement": list(statements)}, Location(f"{kind}.json", 1))


def allow(**extra):
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", **extra}


IDENTITY = doc("identity-policy", allow())
CASES = {
    # Same account: a bucket policy naming the role itself is enough (IAM guide, "Policy evaluation logic").
    "same account, bucket names the role, no identity policy": (
        ROLE, [], doc("bucket-policy", allow(Principal={"AWS": ROLE})), {}, "allow"),
    # Naming the account root delegates to IAM: the identity policy must allow too.
    "same account, bucket names the root, no identity policy": (
        ROLE, [], doc("bucket-policy", allow(Principal={"AWS": "arn:aws:iam::111111111111:root"})), {}, "implicit-deny"),
    "same account, bucket names the root, identity allows": (
        ROLE, [IDENTITY], doc("bucket-policy", allow(Principal={"AWS": "arn:aws:iam::111111111111:root"})), {}, "allow"),
    # Cross account: both sides must allow (IAM guide, "Cross-account policy evaluation logic").
    "cross account, bucket names the role, no identity policy": (
        OTHER, [], doc("bucket-policy", allow(Principal={"AWS": OTHER})), {}, "implicit-deny"),
    "cross account, both allow": (OTHER, [IDENTITY], doc("bucket-policy", allow(Principal={"AWS": OTHER})), {}, "allow"),
    # NotPrincipal with Deny denies everyone not listed.
    "deny with NotPrincipal": (
        ROLE, [IDENTITY], doc("bucket-policy", {"Effect": "Deny", "NotPrincipal": {"AWS": OTHER}, "Action": "s3:*",
                                                 "Resource": "arn:aws:s3:::b/*"}), {}, "explicit-deny"),
    # Negated operator with the key missing is true (condition operators page, "Important").
    "StringNotEquals with the key missing": (
        ROLE, [IDENTITY], doc("bucket-policy", {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                                 "Resource": "arn:aws:s3:::b/*",
                                                 "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}), {},
        "explicit-deny"),
    # ...IfExists is true when the key is missing, so a Deny with it applies (the opposite of what it reads like).
    "StringNotEqualsIfExists with the key missing": (
        ROLE, [IDENTITY], doc("bucket-policy", {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                                 "Resource": "arn:aws:s3:::b/*",
                                                 "Condition": {"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}}), {},
        "explicit-deny"),
    "StringNotEqualsIfExists with the key present and matching": (
        ROLE, [IDENTITY], doc("bucket-policy", {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                                 "Resource": "arn:aws:s3:::b/*",
                                                 "Condition": {"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}}),
        {"aws:SourceVpce": "vpce-1"}, "allow"),
    # ForAllValues is true when the key is absent.
    "ForAllValues with no tags allows": (
        ROLE, [doc("identity-policy", allow(Condition={"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}))], None, {},
        "allow"),
    "ForAnyValue with no tags does not": (
        ROLE, [doc("identity-policy", allow(Condition={"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}))], None, {},
        "implicit-deny"),
    # Policy variables in Resource take the request's value.
    "policy variable in Resource": (
        ROLE, [doc("identity-policy", {"Effect": "Allow", "Action": "s3:GetObject",
                                        "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/team}/*"})],
        None, {"aws:PrincipalTag/team": "k"}, "implicit-deny"),  # b/k/* does not cover the object b/k
    "policy variable in Resource, matching": (
        ROLE, [doc("identity-policy", {"Effect": "Allow", "Action": "s3:GetObject",
                                        "Resource": "arn:aws:s3:::${aws:PrincipalTag/team}/*"})],
        None, {"aws:PrincipalTag/team": "b"}, "allow"),
    "NotAction allow covers other actions": (
        ROLE, [doc("identity-policy", {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})], None, {}, "allow"),
}


ADMIN = doc("identity-policy", {"Effect": "Allow", "Action": "*", "Resource": "*"})
TRUST_CASES = {
    # A role's trust policy must allow the caller; an identity policy alone never suffices.
    "same account, identity allows, trust names someone else": (
        ROLE, [ADMIN], doc("trust-policy", {"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"},
                                             "Action": "sts:AssumeRole"}), "implicit-deny"),
    "same account, trust names the role, no identity policy": (
        ROLE, [], doc("trust-policy", {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "sts:AssumeRole"}), "allow"),
    "same account, trust names the root, no identity policy": (
        ROLE, [], doc("trust-policy", {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                                       "Action": "sts:AssumeRole"}), "implicit-deny"),
    "cross account, trust names the role, identity allows": (
        OTHER, [ADMIN], doc("trust-policy", {"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "sts:AssumeRole"}),
        "allow"),
}


@pytest.mark.parametrize("name", sorted(TRUST_CASES))
def test_documented_trust_case(engine, name):
    principal, identity, trust, expected = TRUST_CASES[name]
    request = Request(principal, "sts:AssumeRole", "arn:aws:iam::111111111111:role/target", "111111111111", {})
    inputs = Inputs(identity=identity, resource=trust)
    ours = evaluate(request, inputs).result
    theirs = engine.decide(request, inputs, [])
    TALLY.record(ours == theirs, ours)
    assert (ours, theirs) == (expected, expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_documented_case(engine, name):
    principal, identity, resource, context, expected = CASES[name]
    request = Request(principal, "s3:GetObject", OBJECT, "111111111111", context)
    inputs = Inputs(identity=identity, resource=resource)
    ours = evaluate(request, inputs).result
    theirs = engine.decide(request, inputs, [])
    TALLY.record(ours == theirs, ours)
    assert (ours, theirs) == (expected, expected)


ROLE_ARN = "arn:aws:iam::111111111111:role/target"
SERVICE_TRUST = doc("trust-policy", {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"},
                                     "Action": "sts:AssumeRole"})
PASS = doc("identity-policy", {"Effect": "Allow", "Action": ["iam:PassRole", "iam:GetRole"], "Resource": ROLE_ARN})
ROLE_ACTION_CASES = {
    # The trust policy is the role's resource policy only for the assume-role family (IAM User Guide,
    # "Policy evaluation logic": role trust policies; "Granting a user permissions to pass a role").
    "iam:PassRole, trust names only a service, identity allows": ("iam:PassRole", [PASS], "allow"),
    "iam:GetRole, trust names only a service, identity allows": ("iam:GetRole", [PASS], "allow"),
    "iam:PassRole, no identity policy": ("iam:PassRole", [], "implicit-deny"),
    "sts:AssumeRole, trust names only a service, identity allows": ("sts:AssumeRole", [ADMIN], "implicit-deny"),
    "sts:TagSession is decided by the trust policy too": ("sts:TagSession", [ADMIN], "implicit-deny"),
}


@pytest.mark.parametrize("name", sorted(ROLE_ACTION_CASES))
def test_documented_role_action_case(engine, name):
    action, identity, expected = ROLE_ACTION_CASES[name]
    request = Request(ROLE, action, ROLE_ARN, "111111111111", {"iam:PassedToService": "sagemaker.amazonaws.com"})
    inputs = Inputs(identity=identity, resource=SERVICE_TRUST)
    ours = evaluate(request, inputs).result
    theirs = engine.decide(request, inputs, [])
    TALLY.record(ours == theirs, ours)
    assert (ours, theirs) == (expected, expected)


S3_ONLY = doc("identity-policy", {"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
NO_S3 = doc("identity-policy", {"Effect": "Allow", "Action": "kms:*", "Resource": "*"})
BUCKET_NAMES_ROLE = doc("bucket-policy", allow(Principal={"AWS": ROLE}))
BUCKET_PUBLIC = doc("bucket-policy", allow(Principal="*"))
RCP_ORG_ONLY = doc("rcp", {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                           "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}})
LAYER_CASES = {
    # Permissions boundaries (IAM User Guide, "Permissions boundaries for IAM entities"): a boundary
    # caps identity policies, and a same-account resource policy naming the role's ARN; a grant to
    # the role session (Principal "*" covers it) is not capped.
    "boundary allows, identity allows": (ROLE, dict(identity=[IDENTITY], boundary=S3_ONLY), {}, "allow"),
    "boundary does not allow, identity allows": (ROLE, dict(identity=[IDENTITY], boundary=NO_S3), {}, "implicit-deny"),
    "boundary does not allow, bucket names the role ARN": (ROLE, dict(resource=BUCKET_NAMES_ROLE, boundary=NO_S3), {},
                                                          "implicit-deny"),
    "boundary does not allow, bucket grants Principal *": (ROLE, dict(resource=BUCKET_PUBLIC, boundary=NO_S3), {}, "allow"),
    "boundary does not allow, cross account, both sides allow": (
        OTHER, dict(identity=[IDENTITY], resource=doc("bucket-policy", allow(Principal={"AWS": OTHER})), boundary=NO_S3),
        {}, "implicit-deny"),
    # RCPs (Organizations User Guide, "RCP evaluation"): every level must allow, a Deny denies whoever asks.
    "RCP denies a principal outside the organization": (
        OTHER, dict(identity=[IDENTITY], resource=doc("bucket-policy", allow(Principal={"AWS": OTHER})),
                    rcp_levels=[[RCP_ORG_ONLY]]), {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}, "explicit-deny"),
    "RCP lets the organization through": (
        OTHER, dict(identity=[IDENTITY], resource=doc("bucket-policy", allow(Principal={"AWS": OTHER})),
                    rcp_levels=[[RCP_ORG_ONLY]]), {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, "allow"),
    # Session policies (IAM User Guide, "Session policies"): the session's permissions are the intersection.
    "session policy does not allow": (ROLE, dict(identity=[IDENTITY], session=NO_S3), {}, "implicit-deny"),
    "session policy allows": (ROLE, dict(identity=[IDENTITY], session=S3_ONLY), {}, "allow"),
    # VPC endpoint policies (PrivateLink guide, "Control access to VPC endpoints using endpoint policies").
    "endpoint policy does not allow the action": (
        ROLE, dict(identity=[IDENTITY], endpoint=doc("vpc-endpoint-policy", {"Effect": "Allow", "Principal": "*",
                                                                             "Action": "s3:PutObject", "Resource": "*"})),
        {"aws:SourceVpce": "vpce-1"}, "implicit-deny"),
    "endpoint policy allows": (
        ROLE, dict(identity=[IDENTITY], endpoint=doc("vpc-endpoint-policy", {"Effect": "Allow", "Principal": "*",
                                                                             "Action": "s3:*", "Resource": "*"})),
        {"aws:SourceVpce": "vpce-1"}, "allow"),
}


@pytest.mark.parametrize("name", sorted(LAYER_CASES))
def test_documented_layer_case(engine, name):
    principal, layers, context, expected = LAYER_CASES[name]
    request = Request(principal, "s3:GetObject", OBJECT, "111111111111", context)
    inputs = Inputs(**layers)
    ours = evaluate(request, inputs).result
    theirs = engine.decide(request, inputs, [])
    TALLY.record(ours == theirs, ours)
    assert (ours, theirs) == (expected, expected)
