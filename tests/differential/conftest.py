import pytest

from tests.differential.bridge import IamSimulate, available
from tests.differential.tally import TALLY


def pytest_terminal_summary(terminalreporter):
    line = TALLY.summary()
    if line:
        terminalreporter.write_sep("-", "differential test")
        terminalreporter.write_line(line)
        for reason, count in TALLY.refusals.most_common(3):
            terminalreporter.write_line(f"  refused {count}x: {reason}")


@pytest.fixture(scope="session")
def engine():
    """One Node process running iam-simulate for every differential test."""
    if not available():
        pytest.fail("run `make test-deps` (the Makefile's test target does) to install @cloud-copilot/iam-simulate")
    sim = IamSimulate()
    yield sim
    sim.close()
