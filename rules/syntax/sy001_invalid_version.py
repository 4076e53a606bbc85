from policygen.policydoc.document import IAM_POLICIES
from policygen.lint.rule import Hit, Rule

VALID = ("2012-10-17", "2008-10-17")


class InvalidVersion(Rule):
    """The policy's Version is not one IAM accepts.

    **Anti-pattern**: `"Version": "2012-10-18"` or a date written as a number. IAM rejects the whole
    document, so the deployment fails late, in CloudFormation.

    **Best practice**: always write `"Version": "2012-10-17"`, as a string.
    """

    id = "SY001"
    severity = "error"
    summary = "Version is not a value IAM accepts"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html"
    kinds = IAM_POLICIES

    def check(self, doc, ctx):
        body = doc.body
        if isinstance(body, dict) and "Version" in body and body["Version"] not in VALID:
            yield Hit(f"Version '{body['Version']}' is not valid; use \"2012-10-17\"", body.line_of("Version"))


RULE = InvalidVersion()
