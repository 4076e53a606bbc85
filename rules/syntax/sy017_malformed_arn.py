import re

from policygen.access.arn import parse_arn
from policygen.lint.rule import Rule, hit
from policygen.policydoc.document import RESOURCE


class MalformedArn(Rule):
    """A Resource is neither "*" nor an ARN.

    **Anti-pattern**: `"Resource": "my-bucket/*"`, `"arn:aws:s3::my-bucket"` (missing a colon),
    `"arn:aws:kms:eu-west-1:key/abc"` (missing the account). IAM rejects some of these and lets
    others match nothing.

    **Best practice**: write full ARNs: `arn:partition:service:region:account:resource`, with
    empty region and account where the service has none (S3 buckets: `arn:aws:s3:::name`). An API
    Gateway resource policy may also write `execute-api:/stage/METHOD/path`, which API Gateway expands.
    """

    id = "SY017"
    severity = "error"
    summary = "Resource is not a well-formed ARN"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"

    def check_statement(self, statement, doc, ctx):
        for value in statement.resources + statement.not_resources:
            if value == "*" or value.startswith("${"):
                continue
            if doc.kind == RESOURCE and value.startswith("execute-api:/"):
                continue  # API Gateway resource policies' own shorthand for the API's methods
            arn = parse_arn(re.sub(r"\$\{[^}]*\}", "x", value))  # ${AWS::Partition} holds colons
            if arn is None or not arn["service"] or not arn["resource"]:
                yield hit(statement, f"'{value}' is not an ARN of the form arn:partition:service:region:account:resource",
                          node=value)


RULE = MalformedArn()
