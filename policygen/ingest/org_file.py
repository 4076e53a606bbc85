"""An organization file: build it in memory and lint what it would generate."""

from __future__ import annotations

from typing import Any

from policygen.policydoc.document import IAM_POLICIES, SHARE, PolicyDoc
from policygen.parse.located import line_of, parse
from policygen.policydoc.corpus import Corpus
from policygen.model.facts import ResourceFacts
from policygen.model.finding import Location
from policygen.model.kinds import ROLE

GENERATED = "(generated) "


def is_org_file(data: Any) -> bool:
    return isinstance(data, dict) and "version" in data and ("accounts" in data or "organization" in data)


def read_org(text: str, file: str, corpus: Corpus) -> None:
    from policygen.generate.build import build_text

    result = build_text(text, file)
    corpus.add_organization(result.facts)
    corpus.suppressions.extend(result.org.suppressions)
    for artifact in result.artifacts:
        if artifact.kind == ROLE:
            corpus.roles.append({**artifact.data, "AccountId": artifact.account_id})
        if artifact.kind not in IAM_POLICIES and artifact.kind != SHARE:
            continue
        shown = GENERATED + artifact.path
        body = parse(artifact.content.decode(), shown)
        corpus.docs.append(PolicyDoc(
            kind=artifact.kind, body=body, location=Location(shown, line_of(body, 1)), name=artifact.name,
            account_id=artifact.account_id, origin_file=file, origin_line=artifact.source_line,
            statement_origins={s.sid: s.line for s in artifact.statements}, report_at_origin=True,
            declared=artifact.declared or ResourceFacts(),
        ))
