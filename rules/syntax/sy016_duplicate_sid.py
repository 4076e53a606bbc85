from policygen.lint.rule import Rule, hit


class DuplicateSid(Rule):
    """Two statements of one document share a Sid.

    **Anti-pattern**: copying a statement and changing its body but not its Sid. IAM rejects
    duplicate Sids in most policy types, and reviewers and tools that key on Sid mix the two up.

    **Best practice**: give every statement a unique, descriptive Sid.
    """

    id = "SY016"
    severity = "error"
    summary = "Duplicate Sid in a document"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html"

    def check(self, doc, ctx):
        seen = {}
        for statement in doc.statements:
            sid = statement.sid
            if not sid:  # Sid is optional; an empty Sid names nothing, so two of them are not a duplicate
                continue
            if sid in seen:
                yield hit(statement, f"Sid '{sid}' is also used at line {seen[sid]}", key="Sid")
            else:
                seen[sid] = statement.line_of("Sid")


RULE = DuplicateSid()
