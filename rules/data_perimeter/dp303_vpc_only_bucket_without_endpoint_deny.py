from policygen.policydoc.document import BUCKET
from policygen.lint.rule import Hit, Rule
from policygen.lint.vpc import has_endpoint_deny


class VpcOnlyBucketWithoutEndpointDeny(Rule):
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

    def check(self, doc, ctx):
        if doc.declared.vpc_only and not has_endpoint_deny(doc, "s3:GetObject", ctx.catalogue):
            yield Hit("declared vpc_only, but no Deny refuses s3:GetObject from outside the listed VPC endpoints "
                      "(StringNotEquals aws:SourceVpce)", doc.statement_line)


RULE = VpcOnlyBucketWithoutEndpointDeny()
