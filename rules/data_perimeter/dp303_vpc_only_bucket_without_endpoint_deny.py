from policygen.lint.families import VpcOnlyWithoutEndpointDeny
from policygen.policydoc.document import BUCKET


class VpcOnlyBucketWithoutEndpointDeny(VpcOnlyWithoutEndpointDeny):
    """A bucket declared vpc_only has no Deny for requests from outside its VPC endpoints.

    **Anti-pattern**: the organization file (or the resource's `Metadata.policygen.vpc_only`)
    says the bucket is reachable only through VPC endpoints, but the policy lacks the
    `aws:SourceVpce` deny, so stolen credentials work from the internet.

    **Best practice**: a Deny for Principal `*` on the data actions, with
    `"StringNotEquals": {"aws:SourceVpce": [the consumers' endpoints]}`.
    """

    id = "DP303"
    severity = "error"
    summary = "vpc_only bucket without its aws:SourceVpce deny"
    url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html"
    kinds = frozenset({BUCKET})
    action = "s3:GetObject"


RULE = VpcOnlyBucketWithoutEndpointDeny()
