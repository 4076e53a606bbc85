from policygen.policydoc.document import IAM_POLICIES
from policygen.lint.rule import Hit, Rule


class OldVersion(Rule):
    """The policy has no Version, or the 2008 one, so policy variables are taken literally.

    **Anti-pattern**: leaving out `Version`. IAM then applies the 2008-10-17 language, where
    `${aws:username}` is the literal text, not the caller's name, and newer features are missing.

    **Best practice**: start every policy with `"Version": "2012-10-17"`.
    """

    id = "SY002"
    severity = "info"
    fix = 'Add "Version": "2012-10-17" as the first element of the document.'
    summary = "Version missing or 2008-10-17"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html"
    kinds = IAM_POLICIES

    def check(self, doc, ctx):
        body = doc.body
        if not isinstance(body, dict):
            return
        if "Version" not in body:
            yield Hit('no Version: IAM applies the 2008-10-17 language; add "Version": "2012-10-17"', doc.location.line)
        elif body["Version"] == "2008-10-17":
            yield Hit('Version 2008-10-17 does not support policy variables; use "2012-10-17"', body.line_of("Version"))


RULE = OldVersion()
