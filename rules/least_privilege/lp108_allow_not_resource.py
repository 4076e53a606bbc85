from policygen.policydoc.document import BUCKET, IDENTITY, MODEL_PACKAGE_GROUP
from policygen.lint.rule import Rule, hit


class AllowNotResource(Rule):
    """An Allow uses NotResource.

    **Anti-pattern**: `"Effect": "Allow", "NotResource": "arn:aws:s3:::secret/*"` allows the
    actions on every other resource, in every account, present and future.

    **Best practice**: use NotResource only with Deny; allow on named resources.
    """

    id = "LP108"
    severity = "warning"
    fix = 'List the resources in Resource; keep NotResource for Deny statements.'
    summary = "Allow with NotResource"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html"
    kinds = frozenset({IDENTITY, BUCKET, MODEL_PACKAGE_GROUP})

    def check_statement(self, statement, doc, ctx):
        if statement.allows and "NotResource" in statement.raw:
            yield hit(statement, "Allow with NotResource grants on every resource not listed", key="NotResource")


RULE = AllowNotResource()
