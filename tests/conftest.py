from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_REFERENCE = ROOT.parent / "shared" / "spec" / "reference-org.yaml"
PACKAGED_REFERENCE = ROOT / "policygen" / "data" / "reference-org.yaml"
REFERENCE = SHARED_REFERENCE if SHARED_REFERENCE.exists() else PACKAGED_REFERENCE


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Tests never read or write the user's cache (cfn-lint results)."""
    import os

    os.environ["POLICYGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("policygen-cache"))


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE.read_text()


@pytest.fixture(scope="session")
def reference_build(reference_text):
    from policygen.generate.build import build_text

    # Built as `make reference` builds it: from the packaged copy (identical to the shared spec, by test) into out/.
    return build_text(PACKAGED_REFERENCE.read_text(), str(PACKAGED_REFERENCE), ROOT / "out")


@pytest.fixture(scope="session")
def by_path(reference_build):
    return {a.path: a for a in reference_build.artifacts}
