from policygen.policydoc.document import BUCKET, EVENT_BUS, IDENTITY, MODEL_PACKAGE_GROUP, REPOSITORY, TRUST
from policygen.lint.rule import Rule, hit


class WildcardAction(Rule):
    """An Allow grants `*` or every action of a service.

    **Anti-pattern**: `"Action": "*"` or `"Action": "s3:*"`. The grant includes actions nobody
    reviewed, present and future: deleting buckets, rewriting their policies, disabling keys.

    **Best practice**: list the actions the workload calls. policygen's generator derives them from
    the access level declared in the organization file.
    """

    id = "LP101"
    severity = "error"
    supersedes = ('LP102', 'LP103', 'LP104', 'LP105', 'LP106', 'LP109', 'LP112', 'LP113', 'LP114', 'LP117')
    summary = "Allow with Action \"*\" or \"service:*\""
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
    # Key policies give kms:* to the account root by design (DP305); SCP allow-lists are guardrails, not grants.
    kinds = frozenset({IDENTITY, TRUST, BUCKET, REPOSITORY, MODEL_PACKAGE_GROUP, EVENT_BUS})

    def check_statement(self, statement, doc, ctx):
        if not statement.allows:
            return
        for value in statement.actions:
            if value == "*" or value.endswith(":*"):
                yield hit(statement, f"Allow grants '{value}': every action, including future ones", node=value)


RULE = WildcardAction()
