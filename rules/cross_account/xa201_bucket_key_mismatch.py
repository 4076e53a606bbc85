from policygen.access.blame import blame
from policygen.access.evaluate import evaluate
from policygen.lint.rule import CorpusRule, PairHit


class BucketKeyMismatch(CorpusRule):
    """A bucket lets a principal read its objects, but the bucket's KMS key does not let it decrypt them.

    **Anti-pattern**: granting a reader account in the bucket policy and forgetting the key policy
    (or scoping the key grant to another role, or omitting `kms:ViaService`). Every GetObject then
    fails with AccessDenied from KMS, in the reader's account, where nobody can see why.

    **Best practice**: grant the key to exactly the principals the bucket admits, for use through
    S3 (`kms:ViaService`). policygen generates both from one declared access.
    """

    id = "XA201"
    severity = "error"
    summary = "Bucket admits a reader its KMS key refuses"
    url = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html"

    def check_world(self, world, ctx):
        from policygen.access.index import PairIndex

        index = PairIndex(world, ctx.catalogue)
        readers: dict[str, list[str]] = {}
        for arn, principal in world.principals.items():
            for resource in index.resources_for(arn, principal.account_id, principal.identity):
                readers.setdefault(resource, []).append(arn)
        for bucket in sorted((r for r in world.resources.values() if r.kind == "bucket" and r.key_arn), key=lambda r: r.arn):
            key = world.resources.get(bucket.key_arn)
            if key is None or key.policy is None:
                continue
            region = key.arn.split(":")[3] or world.facts.home_region or "us-east-1"
            for principal in sorted(readers.get(bucket.arn, [])):
                account = principal.split(":")[4]
                endpoint = world.endpoints(account).get("s3")
                read = world.request(principal, "s3:GetObject", bucket.arn + "/policygen-probe",
                                     {"aws:SourceVpce": endpoint} if endpoint else {})
                read_inputs = world.inputs(read)
                if not evaluate(read, read_inputs).allowed:
                    continue
                decrypt = world.request(principal, "kms:Decrypt", key.arn, {
                    "kms:ViaService": f"s3.{region}.amazonaws.com", "aws:ViaAWSService": "true", "kms:CallerAccount": account})
                inputs = world.inputs(decrypt)
                decision = evaluate(decrypt, inputs)
                if decision.allowed:
                    continue
                at, others = blame(decision, inputs)
                grants = [r for layer in evaluate(read, read_inputs).layers for r in layer.statements
                          if r.effect == "Allow" and not r.file.startswith("(AWS managed)")]
                yield PairHit(f"{bucket.arn} lets {principal} read objects, but key {key.arn} refuses to decrypt "
                              f"them through S3 ({decision.reason})", at, tuple(grants + others))


RULE = BucketKeyMismatch()
