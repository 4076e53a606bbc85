from policygen.lint.actions import at_levels, shorten
from policygen.policydoc.document import BUCKET, IDENTITY, KEY, MODEL_PACKAGE_GROUP, REPOSITORY
from policygen.lint.principals import is_own
from policygen.lint.rule import Rule, hit


class WildcardReachesPermissionsManagement(Rule):
    """An action wildcard meant for data access also grants permissions management.

    **Anti-pattern**: `"s3:Put*"` to upload objects also grants `s3:PutBucketPolicy`; `"ecr:Set*"`
    grants `ecr:SetRepositoryPolicy`. The holder can rewrite the resource's policy and open it.

    In a key policy, the key administrators of the key's own account (`kms:Create*`, `kms:Put*`,
    `kms:Revoke*` in AWS's default policy) are not reported.

    **Best practice**: list the actions; if a wildcard is needed, it must not cover a
    permissions-management action (the catalogue's access level says which).
    """

    id = "LP114"
    severity = "error"
    fix = 'List the actions the wildcard was meant for, without the permissions-management ones.'
    summary = "Action wildcard includes permissions-management actions"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html"
    kinds = frozenset({IDENTITY, BUCKET, KEY, REPOSITORY, MODEL_PACKAGE_GROUP})

    def check_statement(self, statement, doc, ctx):
        if not statement.allows:
            return
        principals = statement.principal_values("AWS")
        if doc.kind == KEY and principals and all(is_own(p, doc) for p in principals):
            return  # a key's own administrators manage its permissions (AWS's default key policy); DP309 covers others
        for value in statement.actions:
            if value == "*" or value.endswith(":*") or not ("*" in value or "?" in value):
                continue  # LP101 covers full wildcards; plain names are deliberate
            names = at_levels(ctx.catalogue, value, ("permissions-management",))
            if names:
                shown = shorten(names)
                yield hit(statement, f"'{value}' includes permissions management: {shown}", node=value)


RULE = WildcardReachesPermissionsManagement()
