"""Point 6 of issue 11: what gets deployed carries a provenance that does not move when unrelated lines do.

Comments added anywhere and top-level sections in another order must leave every template and the StackSet
body byte-identical (the manifest, which records lines, may change)."""

from __future__ import annotations

import re

from policygen.generate.build import build_text
from tests.conftest import ROOT

REFERENCE = (ROOT / "policygen" / "data" / "reference-org.yaml").read_text()
DEPLOYED = ("templates/", "stacksets/")


def _sections(text: str) -> tuple[str, list[str]]:
    """The header (comments, version) and each top-level section as its block of lines."""
    blocks, current, header = [], None, []
    for line in text.splitlines(keepends=True):
        if re.match(r"^[a-z_]+:", line) and not line.startswith("version:"):
            current = [line]
            blocks.append(current)
        elif current is None:
            header.append(line)
        else:
            current.append(line)
    return "".join(header), ["".join(b) for b in blocks]


def _shuffled(text: str) -> str:
    header, blocks = _sections(text)
    commented = []
    for block in reversed(blocks):  # every section in the opposite order
        lines = block.splitlines(keepends=True)
        lines.insert(1, "  # a reviewer's note that moves every line below it\n")
        commented.append("# --- section ---\n" + "".join(lines) + "\n\n")
    return "# a new first line\n# and another\n" + header + "".join(commented)


def test_comments_and_reordered_sections_leave_deployed_files_identical():
    moved = _shuffled(REFERENCE)
    assert moved != REFERENCE
    before = build_text(REFERENCE, "reference-org.yaml")
    after = build_text(moved, "reference-org.yaml")
    deployed = sorted(p for p in before.files if p.startswith(DEPLOYED))
    assert len(deployed) >= 7
    assert sorted(p for p in after.files if p.startswith(DEPLOYED)) == deployed
    changed = [p for p in deployed if before.files[p] != after.files[p]]
    assert changed == []
    # the lines did move, and the manifest says so
    assert before.files["manifest.json"] != after.files["manifest.json"]


def test_templates_name_the_org_entry_not_its_line():
    built = build_text(REFERENCE, "reference-org.yaml")
    for path, content in built.files.items():
        if path.startswith(DEPLOYED):
            text = content.decode()
            assert "source_line" not in text, path
            assert "source: " in text, path
    assert "source: teams.team1" in built.files["templates/dev.yaml"].decode()
