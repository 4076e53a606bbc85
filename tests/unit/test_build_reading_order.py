"""read_build reads each template just after its own account's JSON copies, so that lint can check a
template's documents while the rest of the build is read. The order of reading must change nothing
but when documents are handed on: each is handed on once, complete, and the corpus is the same."""

from __future__ import annotations

import json
import shutil

from policygen.ingest import build_dir
from policygen.ingest.collect import collect
from tests.conftest import ROOT


def _edited_build(tmp_path):
    """The reference build with a template and a copy edited by hand (modified and differing artifacts)."""
    build = tmp_path / "out"
    shutil.copytree(ROOT / "out", build)
    template = build / "templates" / "dev.yaml"
    template.write_text(template.read_text().replace("Effect: Allow", "Effect: Deny", 1))
    copy = sorted((build / "policies").rglob("*.json"))[-1]
    copy.write_text(copy.read_text().replace('"Allow"', '"Deny"', 1))
    return build


def _summary(corpus) -> dict:
    return {
        "docs": [(d.location, d.kind, d.name, d.account_id, d.origin_line, json.dumps(d.statement_origins, sort_keys=True))
                 for d in corpus.docs],
        "templates": list(corpus.templates),
        "modified": corpus.modified, "differing": corpus.differing_copies, "skipped": corpus.skipped,
        "roles": [r["Arn"] for r in corpus.roles],
    }


def test_the_corpus_is_the_manifests_order_whatever_the_reading_order(tmp_path, monkeypatch):
    build = _edited_build(tmp_path)
    early = collect([str(build)])
    monkeypatch.setattr(build_dir, "_reading_order", lambda artifacts: list(range(len(artifacts))))
    plain = collect([str(build)])
    assert early.modified and early.differing_copies
    assert _summary(early) == _summary(plain)


def test_documents_are_handed_on_once_complete_and_before_the_last_copy_is_read(monkeypatch):
    copies_read = []
    read_copy = build_dir._copy_body
    monkeypatch.setattr(build_dir, "_copy_body", lambda raw, file: copies_read.append(file) or read_copy(raw, file))
    handed: list[tuple] = []

    def ready(corpus, docs):
        handed.extend((doc, len(copies_read), doc.origin_line, dict(doc.statement_origins)) for doc in docs)

    corpus = collect([str(ROOT / "out")], ready=ready)
    assert sorted(id(d) for d, *_ in handed) == sorted(id(d) for d in corpus.docs)  # each once
    assert all((line, origins) == (doc.origin_line, doc.statement_origins) for doc, _, line, origins in handed)
    assert sum(1 for doc in corpus.docs if doc.origin_line) > 20
    assert handed[0][1] < len(copies_read)  # the first documents went on before every copy was read
