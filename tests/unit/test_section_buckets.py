"""A deployment's models bucket and a registry's artifacts bucket must live in the section's own account."""

from __future__ import annotations

import pytest

from policygen.errors import InputError
from policygen.loader import load_org_text
from tests.conftest import PACKAGED_REFERENCE

REFERENCE = PACKAGED_REFERENCE.read_text()


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_org_text(text, "org.yaml")
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def test_models_bucket_outside_the_source_account():
    text = REFERENCE.replace("  models_bucket: models\n", "  models_bucket: hub-models\n", 1)
    assert problems(text) == [f"org.yaml:{line_of(text, '  models_bucket: hub-models')}:18: models_bucket 'hub-models' "
                              "is in account 'shared', not in source 'dev'"]


def test_artifacts_bucket_outside_the_hub():
    text = REFERENCE.replace("  artifacts_bucket: hub-models\n", "  artifacts_bucket: models\n", 1)
    assert problems(text) == [f"org.yaml:{line_of(text, '  artifacts_bucket: models')}:21: artifacts_bucket 'models' "
                              "is in account 'dev', not in the hub 'shared'"]
