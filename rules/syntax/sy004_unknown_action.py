from policygen.lint.rule import Rule, hit


class UnknownAction(Rule):
    """An Action names no action of its service, or a wildcard matches none.

    **Anti-pattern**: `"s3:GetObjects"`, `"kms:Decript"`, `"ecr:Pull*"`. The statement grants or
    denies nothing for that entry; a Deny that was meant to protect data protects nothing.

    **Best practice**: use the exact action names of the Service Authorization Reference. If the
    action is newer than the catalogue's date, point `--catalogue` at a newer copy rather than
    suppressing the finding.
    """

    id = "SY004"
    severity = "error"
    summary = "Unknown action, or a wildcard that matches no action"
    url = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"

    def check_statement(self, statement, doc, ctx):
        for value in statement.actions + statement.not_actions:
            if value == "*":
                continue
            prefix, sep, name = value.partition(":")
            if not sep or not name:
                yield hit(statement, f"'{value}' is not of the form service:action", node=value)
            elif ctx.catalogue.has_service(prefix) and not ctx.catalogue.expand(value):
                yield hit(statement, f"'{value}' matches no {prefix} action in the IAM catalogue of {ctx.catalogue.recorded}",
                          node=value)


RULE = UnknownAction()
