from policygen.policydoc.document import REPOSITORY
from policygen.lint.rule import Rule, hit


class ResourceInRepositoryPolicy(Rule):
    """An ECR repository policy has a Resource or NotResource element.

    **Anti-pattern**: copying an identity statement with `"Resource": "arn:aws:ecr:...:repository/x"`
    into a repository policy. ECR rejects the SetRepositoryPolicy call: the policy applies to its
    repository, so it has no Resource.

    **Best practice**: leave out Resource in repository policies; name principals and actions only.
    """

    id = "SY012"
    severity = "error"
    fix = 'Remove Resource from the repository policy statement: the policy applies to its repository.'
    summary = "Resource present in an ECR repository policy"
    url = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html"
    kinds = frozenset({REPOSITORY})

    def check_statement(self, statement, doc, ctx):
        for key in ("Resource", "NotResource"):
            if key in statement.raw:
                yield hit(statement, f"{key} is not allowed in a repository policy; the repository is the resource", key=key)


RULE = ResourceInRepositoryPolicy()
