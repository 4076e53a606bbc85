from policygen.lint.rule import Rule, hit


class UnknownService(Rule):
    """An Action names a service prefix the IAM catalogue does not know.

    **Anti-pattern**: `"sagemkaer:CreateModel"` or `"s3-object:GetObject"`. IAM accepts the policy
    but the statement matches nothing, so the access it was meant to grant (or deny) silently does
    not exist.

    **Best practice**: copy service prefixes from the Service Authorization Reference. If AWS added
    the service after the catalogue's date, point `--catalogue` at a newer copy.
    """

    id = "SY003"
    severity = "error"
    summary = "Unknown service prefix in Action or NotAction"
    url = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"

    def check_statement(self, statement, doc, ctx):
        for value in statement.actions + statement.not_actions:
            if value == "*" or ":" not in value:
                continue
            prefix = value.partition(":")[0]
            if not ctx.catalogue.has_service(prefix):
                yield hit(statement, f"unknown service '{prefix}' in '{value}' (IAM catalogue of {ctx.catalogue.recorded})",
                          node=value)


RULE = UnknownService()
