from policygen.lint.principals import is_other_account
from policygen.lint.actions import grants
from policygen.policydoc.document import REPOSITORY
from policygen.lint.rule import Rule, hit

PUSH = ("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchDeleteImage")


class CrossAccountImagePush(Rule):
    """A repository policy lets other accounts push or delete images.

    **Anti-pattern**: serving accounts that should only pull inference images can overwrite them,
    so a compromised dev account ships code into prod.

    **Best practice**: consumers get the pull actions only (`ecr:BatchGetImage`,
    `ecr:GetDownloadUrlForLayer`, `ecr:BatchCheckLayerAvailability`); pushes come from the owning
    account's pipeline.
    """

    id = "DP310"
    severity = "warning"
    fix = 'Give other accounts the pull actions only: ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability.'
    summary = "Other accounts may push or delete images"
    url = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html"
    kinds = frozenset({REPOSITORY})

    def check_statement(self, statement, doc, ctx):
        if not statement.allows:
            return
        # The own account: the template's (${AWS::AccountId}), its Metadata's, or the one a plain file's ARNs name.
        strangers = [v for v in statement.principal_values("AWS") if is_other_account(v, doc)]
        found = [name for name in PUSH if grants(statement, ctx.catalogue, name)]
        if strangers and found:
            yield hit(statement, f"{', '.join(strangers)} may {', '.join(found)}", key="Action")


RULE = CrossAccountImagePush()
