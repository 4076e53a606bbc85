from policygen.policydoc.document import IAM_POLICIES, REPOSITORY, TRUST
from policygen.lint.rule import Hit, Rule, hit

ELEMENTS = {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}


class StatementStructure(Rule):
    """A statement lacks a required element, or has one IAM does not know.

    **Anti-pattern**: no Effect, `"Effect": "allow"`, both Action and NotAction, no Resource in an
    identity policy, `"Conditions"` (plural) which IAM rejects, or Statement not a list.

    **Best practice**: every statement has Effect ("Allow" or "Deny"), exactly one of Action and
    NotAction, and (outside trust and repository policies) exactly one of Resource and NotResource.
    """

    id = "SY015"
    severity = "error"
    summary = "Statement is malformed: missing, duplicated or unknown elements"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"
    kinds = IAM_POLICIES

    def check(self, doc, ctx):
        body = doc.body
        if not isinstance(body, dict) or "Statement" not in body:
            yield Hit("the document has no Statement", doc.location.line)
            return
        if not isinstance(body["Statement"], (list, dict)):
            yield Hit("Statement must be a list of statements", body.line_of("Statement"))
        for statement in doc.statements:
            if not statement.ok:
                yield Hit("a statement must be a mapping", statement.line, statement)
                continue
            yield from self._statement(statement, doc)

    def _statement(self, statement, doc):
        raw = statement.raw
        for key in raw:
            if key not in ELEMENTS:
                yield hit(statement, f"unknown element '{key}'", key=key)
        if raw.get("Effect") not in ("Allow", "Deny"):
            yield hit(statement, f"Effect must be \"Allow\" or \"Deny\", not {raw.get('Effect')!r}", key="Effect")
        if ("Action" in raw) == ("NotAction" in raw):
            yield hit(statement, "a statement needs exactly one of Action and NotAction")
        needs_resource = doc.kind not in (TRUST, REPOSITORY)
        has_resource = ("Resource" in raw) + ("NotResource" in raw)
        if has_resource == 2 or (needs_resource and not has_resource):
            yield hit(statement, "a statement needs exactly one of Resource and NotResource")


RULE = StatementStructure()
