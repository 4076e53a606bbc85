import re

from policygen.policydoc.document import BUCKET
from policygen.lint.rule import Hit, Rule


class BucketWithoutTlsDeny(Rule):
    """A bucket policy does not deny requests made without TLS.

    **Anti-pattern**: no statement denying `aws:SecureTransport = false`, or one that covers only
    the objects and not the bucket. Clients can then read and write training data over plain HTTP.

    **Best practice**: a Deny for Principal `*`, Action `s3:*`, on both the bucket ARN and
    `bucket/*`, with `"Bool": {"aws:SecureTransport": "false"}`.
    """

    id = "DP302"
    severity = "warning"
    summary = "Bucket policy lacks the TLS deny"
    url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html"
    kinds = frozenset({BUCKET})

    def check(self, doc, ctx):
        buckets = {b for s in doc.statements if s.ok for r in s.resources for b in [_bucket_of(r)] if b}
        for statement in doc.statements:
            if statement.ok and _is_tls_deny(statement):
                covered = set(statement.resources)
                missing = [b for b in buckets if b not in covered and "*" not in covered]
                missing += [b + "/*" for b in buckets if b + "/*" not in covered and "*" not in covered]
                if not missing:
                    return
                yield Hit(f"the TLS deny does not cover {', '.join(sorted(missing))}", statement.line, statement)
                return
        yield Hit('no statement denies requests without TLS (Bool aws:SecureTransport "false")', doc.statement_line)


def _bucket_of(resource: str) -> str | None:
    """The bucket ARN a Resource value names or lies in: `arn:aws:s3:::b/*` and `${Bucket.Arn}/*` give the bucket."""
    head = resource.split("/", 1)[0] if "/" in resource.split(":::")[-1] else resource
    if ":s3:::" in head and head.startswith("arn:"):
        return head
    if re.fullmatch(r"\$\{[^}]+\}", head) and head != "${?}":
        return head
    return None


def _is_tls_deny(statement) -> bool:
    if statement.effect != "Deny" or not statement.public:
        return False
    if not any(a in ("*", "s3:*") for a in statement.actions):
        return False
    return any(c.base == "Bool" and c.key.lower() == "aws:securetransport" and [str(v).lower() for v in c.values] == ["false"]
               for c in statement.conditions)


RULE = BucketWithoutTlsDeny()
