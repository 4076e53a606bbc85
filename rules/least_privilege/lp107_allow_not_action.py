from policygen.policydoc.document import BUCKET, EVENT_BUS, IDENTITY, KEY, MODEL_PACKAGE_GROUP, REPOSITORY
from policygen.lint.rule import Rule, hit


class AllowNotAction(Rule):
    """An Allow uses NotAction.

    **Anti-pattern**: `"Effect": "Allow", "NotAction": "iam:*"` grants every other action of every
    service, including those AWS adds later.

    **Best practice**: use NotAction only with Deny; allow a listed set of actions.
    """

    id = "LP107"
    severity = "warning"
    fix = 'List the allowed actions in Action; keep NotAction for Deny statements.'
    summary = "Allow with NotAction"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html"
    kinds = frozenset({IDENTITY, BUCKET, KEY, REPOSITORY, MODEL_PACKAGE_GROUP, EVENT_BUS})

    def check_statement(self, statement, doc, ctx):
        if statement.allows and "NotAction" in statement.raw:
            yield hit(statement, "Allow with NotAction grants every action not listed", key="NotAction")


RULE = AllowNotAction()
