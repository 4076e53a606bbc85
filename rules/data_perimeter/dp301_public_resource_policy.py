from policygen.lint.conditions import restricts_principal
from policygen.policydoc.document import RESOURCE, RESOURCE_POLICIES
from policygen.lint.rule import Rule, hit


class PublicResourcePolicy(Rule):
    """A resource policy allows `*` and no condition restricts who or from where.

    **Anti-pattern**: `"Principal": "*"` on a bucket, key, repository, model package group or bus
    with no condition, or only with conditions any caller can satisfy (`aws:SecureTransport`,
    an `IfExists` operator, a `*` value). Anyone with an AWS account gets in.

    **Best practice**: name principals; or keep `*` and pin it with a condition that identifies
    the caller's organization, account, ARN, VPC endpoint or network (`aws:PrincipalOrgID`,
    `aws:PrincipalArn`, `aws:SourceVpce`, ...). Those are recognised and not reported.
    """

    id = "DP301"
    severity = "error"
    fix = 'Name the principals, or pin "*" with aws:PrincipalOrgID, aws:PrincipalArn, aws:SourceVpce or aws:SourceArn.'
    supersedes = ('DP309', 'DP310', 'XA207', 'LP101')
    summary = "Resource policy open to \"*\" without a restricting condition"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_data-perimeters.html"
    kinds = RESOURCE_POLICIES

    def check_statement(self, statement, doc, ctx):
        if statement.allows and statement.public and not restricts_principal(statement):
            what = f"{doc.services[0]} resource policy" if doc.kind == RESOURCE and doc.services else doc.kind
            yield hit(statement, f"{what} allows any AWS principal (\"*\") with no condition restricting who",
                      key="Principal")


RULE = PublicResourcePolicy()
