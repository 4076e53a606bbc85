from policygen.policydoc.document import SHARE
from policygen.lint.rule import Hit, Rule


class ShareAllowsExternalPrincipals(Rule):
    """A RAM resource share allows principals outside the organization.

    **Anti-pattern**: `AllowExternalPrincipals: true`, or leaving it out (CloudFormation's default
    is true). A typo in an account id then shares feature groups or pipelines with a stranger.

    **Best practice**: set `AllowExternalPrincipals: false` on every share inside the organization.
    """

    id = "DP307"
    severity = "error"
    summary = "RAM share allows external principals"
    url = "https://docs.aws.amazon.com/ram/latest/userguide/getting-started-sharing.html"
    kinds = frozenset({SHARE})

    def check(self, doc, ctx):
        body = doc.body if isinstance(doc.body, dict) else {}
        value = body.get("AllowExternalPrincipals")
        if value is None:
            yield Hit("AllowExternalPrincipals is not set, and defaults to true", doc.location.line)
        elif value is not False and str(value).lower() != "false":
            yield Hit("AllowExternalPrincipals is true: accounts outside the organization can be shared with",
                      body.line_of("AllowExternalPrincipals"))


RULE = ShareAllowsExternalPrincipals()
