from tests.differential.conftest import engine  # noqa: F401  (one iam-simulate process per session)
