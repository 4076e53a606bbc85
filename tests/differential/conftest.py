from tests.differential.tally import TALLY


def pytest_terminal_summary(terminalreporter):
    line = TALLY.summary()
    if line:
        terminalreporter.write_sep("-", "differential test")
        terminalreporter.write_line(line)
        for reason, count in TALLY.refusals.most_common(3):
            terminalreporter.write_line(f"  refused {count}x: {reason}")
