from policygen.lint.conditions import restricts_principal
from policygen.policydoc.document import TRUST
from policygen.lint.rule import Rule, hit

KEYS = {"aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"}
# Services AWS documents as setting no source key when they assume a role: a condition would lock them
# out, so their trusts are not reported. Lambda: aws:SourceArn applies only to policies where the
# function is the target resource (Lambda developer guide, "Using source function ARN ...").
NO_SOURCE_KEY_SERVICES = {"lambda.amazonaws.com"}


class ServiceTrustWithoutSource(Rule):
    """A role trusted by an AWS service has no aws:SourceAccount or aws:SourceArn condition.

    **Anti-pattern**: a service principal alone in a trust policy. For services that act for many
    customers, another customer could make the service act with your role (the confused deputy).

    **Best practice**: where the service sets them, add `aws:SourceAccount` (your account) or
    `aws:SourceArn`. Not every service does, so this is information, not a failure; services AWS
    documents as setting neither (Lambda, for execution roles) are not reported.
    """

    id = "LP116"
    severity = "info"
    summary = "Service trust without aws:SourceAccount / aws:SourceArn"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"
    kinds = frozenset({TRUST})

    def check_statement(self, statement, doc, ctx):
        services = [s for s in statement.principal_values("Service") if s.lower() not in NO_SOURCE_KEY_SERVICES]
        if statement.allows and services and not restricts_principal(statement, KEYS):
            yield hit(statement, f"trusted by {', '.join(services)} with no source condition", key="Principal")


RULE = ServiceTrustWithoutSource()
