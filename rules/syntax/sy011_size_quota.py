from policygen.generate.quotas import LIMITS
from policygen.policydoc.document import IAM_POLICIES
from policygen.lint.rule import Hit, Rule


class SizeQuota(Rule):
    """The document is larger than AWS accepts for its kind.

    **Anti-pattern**: a managed policy over 6,144 characters, a trust policy over 2,048, an SCP
    over 5,120, a bucket policy over 20 KB. The API call fails at deploy time, often only in the
    account with the most consumers.

    **Best practice**: split by service or resource into several documents, or grant through fewer,
    broader-but-conditioned statements. Sizes count characters without whitespace.
    """

    id = "SY011"
    severity = "error"
    summary = "Document exceeds the size quota of its kind"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
    kinds = IAM_POLICIES

    def check(self, doc, ctx):
        limit = LIMITS.get(doc.kind)
        if limit and doc.size() > limit:
            yield Hit(f"{doc.kind} is {doc.size()} characters; the quota is {limit}", doc.location.line)


RULE = SizeQuota()
