import pytest

from tests.differential.bridge import IamSimulate, available
from tests.workflows.figures import FIGURES


def pytest_terminal_summary(terminalreporter):
    lines = FIGURES.lines()
    if lines:
        terminalreporter.write_sep("-", "workflow proofs")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def simulate():
    """One Node process running @cloud-copilot/iam-simulate for the workflow proofs."""
    if not available():
        pytest.fail("run `make test-deps` to install @cloud-copilot/iam-simulate")
    sim = IamSimulate()
    yield sim
    sim.close()
