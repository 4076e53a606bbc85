"""Located values shared to save memory: a build's templates share strings with the same text and place,
and a StackSet's instances share the strings of its body. Sharing must never change a place."""

from __future__ import annotations

from policygen.ingest.collect import collect
from policygen.parse.located import parse, position_of
from policygen.parse.values import LStr
from tests.conftest import ROOT

ONE = "Statement:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: arn:aws:s3:::one/*\n"
TWO = "Statement:\n  - Effect: Allow\n    Action: s3:GetObject\n    Resource: arn:aws:s3:::two/*\n"
MOVED = "\nStatement:\n  - Effect: Allow\n    Action: s3:GetObject\n"


def _statement(text: str, strings: dict | None):
    return parse(text, "t.yaml", strings)["Statement"][0]


def test_same_text_at_the_same_place_is_one_string():
    strings: dict = {}
    one, two = _statement(ONE, strings), _statement(TWO, strings)
    assert one["Action"] is two["Action"] and one["Effect"] is two["Effect"]
    assert one["Resource"] is not two["Resource"]
    assert position_of(two["Resource"]) == (4, 15) and str(two["Resource"]) == "arn:aws:s3:::two/*"


def test_the_same_text_elsewhere_keeps_its_own_place():
    strings: dict = {}
    first, moved = _statement(ONE, strings), _statement(MOVED, strings)
    assert first["Action"] == moved["Action"] and first["Action"] is not moved["Action"]
    assert position_of(first["Action"]) == (3, 13) and position_of(moved["Action"]) == (4, 13)


def test_without_a_table_nothing_is_shared():
    assert _statement(ONE, None)["Action"] is not _statement(TWO, None)["Action"]


def test_stackset_instances_share_strings_and_keep_the_files_lines():
    corpus = collect([str(ROOT / "out")])
    file = str(ROOT / "out" / "templates" / "shared.yaml")
    lines = (ROOT / "out" / "templates" / "shared.yaml").read_text().splitlines()
    instances = [d for d in corpus.docs if d.location.file.endswith("templates/shared.yaml") and d.account_id != "222222222222"
                 and d.kind == "identity-policy"]
    assert {d.account_id for d in instances} == {"555555555555", "666666666666"}, file
    first, second = instances
    for a, b in zip(first.statements, second.statements, strict=True):
        assert a.sid and lines[a.line - 1].strip() == f"- Sid: {a.sid}"  # the line in shared.yaml, inside the body
        assert a.line == b.line
        for x, y in zip(a.actions, b.actions, strict=True):
            assert x is y and isinstance(x, LStr) and lines[x.line - 1].strip().endswith(str(x))


def test_a_builds_templates_share_strings_read_at_the_same_place():
    corpus = collect([str(ROOT / "out")])
    files_of: dict[int, set[str]] = {}
    for doc in corpus.docs:
        text = open(doc.location.file).read().splitlines()  # collect names the files as given: absolute here
        for statement in doc.statements:
            for action in statement.actions:
                files_of.setdefault(id(action), set()).add(doc.location.file)
                assert action in text[action.line - 1]  # shared or not, each string is where its file has it
    assert any(len(files) > 1 for files in files_of.values())
