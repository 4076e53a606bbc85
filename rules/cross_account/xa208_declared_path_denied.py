from policygen.lint.families import DeclaredPathDenied


class DeclaredDataPathDenied(DeclaredPathDenied):
    """A data access the organization file declares is denied end to end.

    **Anti-pattern**: a hand edit (or a stale build) leaves a bucket, key or repository path with
    one side missing: the reader's policy names the old bucket, the bucket's deny lists the wrong
    key, the repository policy forgets a serving account. Deployments fail in the consuming
    account, far from the change that broke them.

    **Best practice**: every declared path is evaluated across SCPs, identity, resource and key
    policies, with the context the platform gives it (its VPC endpoint, TLS, the bucket's key).
    Role, bus and model-registry paths have their own rules (XA202, XA204, XA206).
    """

    id = "XA208"
    severity = "error"
    summary = "Declared bucket, key or repository access is denied"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html"
    target_kinds = ("bucket", "key", "repository")
    levels = ("read", "write", "admin")
    what = "declared path broken"


RULE = DeclaredDataPathDenied()
