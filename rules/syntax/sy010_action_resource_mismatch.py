from policygen.access.arn import could_match
from policygen.policydoc.document import BUCKET, IDENTITY, MODEL_PACKAGE_GROUP, TRUST
from policygen.lint.rule import Rule, hit


class ActionResourceMismatch(Rule):
    """An action's resource types cannot match any Resource of the statement.

    **Anti-pattern**: `s3:ListBucket` on `arn:aws:s3:::bucket/*` (ListBucket acts on the bucket,
    not its objects), `s3:GetObject` on `arn:aws:s3:::bucket`, or `ecr:GetAuthorizationToken`
    on a repository ARN. The grant silently applies to nothing and the workload fails with
    AccessDenied.

    **Best practice**: give each action a Resource of a type the Service Authorization Reference
    lists for it; split bucket-level and object-level actions into their own statements.
    """

    id = "SY010"
    severity = "error"
    fix = 'Give each action a Resource of a type the Service Authorization Reference lists for it.'
    summary = "Action cannot apply to any Resource of the statement"
    url = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"
    kinds = frozenset({IDENTITY, BUCKET, MODEL_PACKAGE_GROUP, TRUST})

    def check_statement(self, statement, doc, ctx):
        resources = [r for r in statement.resources if r != "*" and "${?}" not in r]
        if not statement.allows or not resources or len(resources) != len(statement.resources):
            return
        catalogue = ctx.catalogue
        for value in statement.actions:
            if "*" in value or "?" in value:
                continue  # a wildcard may cover actions of several resource types on purpose
            action = catalogue.action(value)
            if action is None:
                continue
            if action.needs_star:
                yield hit(statement, f"{action.full} supports only Resource \"*\"; these ARNs never match it", node=value)
                continue
            patterns = [catalogue.resource_arn(action.service, rt) for rt, _ in action.resource_types]
            patterns = [p for p in patterns if p]
            if patterns and not any(could_match(p, r) for p in patterns for r in resources):
                types = ", ".join(rt for rt, _ in action.resource_types)
                yield hit(statement, f"{action.full} acts on {types}; no Resource of this statement is such an ARN",
                          node=value)


RULE = ActionResourceMismatch()
