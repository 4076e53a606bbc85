from policygen.lint.actions import at_levels, shorten
from policygen.lint.principals import is_other_account, pinned_to_own_account
from policygen.policydoc.document import RESOURCE_POLICIES
from policygen.lint.rule import Rule, hit


class CrossAccountPermissionsManagement(Rule):
    """A resource policy lets another account manage the resource's permissions.

    **Anti-pattern**: a bucket policy granting `s3:PutBucketPolicy`, or a repository policy granting
    `ecr:SetRepositoryPolicy`, to a principal of another account. That account can rewrite the
    policy and take the resource over.

    **Best practice**: permissions management stays in the owning account.
    """

    id = "DP309"
    severity = "error"
    fix = 'Keep permissions-management actions (PutBucketPolicy, SetRepositoryPolicy, PutKeyPolicy, CreateGrant ...) in the owning account.'
    summary = "Another account may manage this resource's permissions"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html"
    kinds = RESOURCE_POLICIES

    def check_statement(self, statement, doc, ctx):
        if not statement.allows:
            return
        # The own account: the template's (${AWS::AccountId}), its Metadata's, or the one a plain file's ARNs name.
        strangers = [v for v in statement.principal_values("AWS") if is_other_account(v, doc)
                     and not (v == "*" and pinned_to_own_account(statement, doc))]
        if not strangers:
            return
        found = [(value, names) for value in statement.actions
                 for names in [at_levels(ctx.catalogue, value, ("permissions-management",))] if names]
        if found:  # one finding per statement, at the principal it is about
            shown = shorten(sorted({n for _, names in found for n in names}))
            yield hit(statement, f"{', '.join(strangers)} may manage permissions: {shown}", key="Principal", node=strangers[0])


RULE = CrossAccountPermissionsManagement()
