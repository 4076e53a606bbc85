"""validate reports every independent problem in one run, each located, sorted by line; a problem that
follows from another (a reference to an entry that failed the schema) is reported once, at its root."""

from __future__ import annotations

import re

from policygen.cli.main import main
from tests.conftest import PACKAGED_REFERENCE


def _validate(tmp_path, capsys, text: str) -> tuple[int, list[str]]:
    org = tmp_path / "org.yaml"
    org.write_text(text)
    code = main(["validate", str(org)])
    lines = [line.removeprefix("error: ") for line in capsys.readouterr().err.splitlines()]
    lines = [line for line in lines if line.startswith(str(org))]
    return code, lines


def test_three_independent_problems_give_three_located_messages(tmp_path, capsys):
    text = PACKAGED_REFERENCE.read_text()
    text = text.replace('id: "333333333333"', "id: 333333333333", 1)  # an unquoted account id
    text = text.replace("    vpc_only: true", "    vpc_onyl: true", 1)  # a misspelt key
    text = text.replace("    key: data-key", "    key: data-kee", 1)  # a dangling reference
    code, lines = _validate(tmp_path, capsys, text)
    assert code == 2
    assert len(lines) == 3, lines
    assert "is not quoted" in lines[0] and "unknown key 'vpc_onyl'" in lines[1] and "unknown key 'data-kee'" in lines[2]
    numbers = [tuple(map(int, re.match(rf"{re.escape(str(tmp_path))}/org.yaml:(\d+):(\d+):", line).groups())) for line in lines]
    assert numbers == sorted(numbers)


def test_a_reference_to_an_entry_that_failed_the_schema_is_not_reported_again(tmp_path, capsys):
    text = PACKAGED_REFERENCE.read_text().replace("    key: data-key\n", "    key: [data-key]\n", 1)  # bucket 'data' malformed
    code, lines = _validate(tmp_path, capsys, text)
    assert code == 2
    assert len(lines) == 1 and "buckets.data.key" in lines[0], lines
    assert not any("unknown bucket 'data'" in line for line in lines)  # teams read it: that follows from the root
