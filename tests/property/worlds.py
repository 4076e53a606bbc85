"""The access world of an organization file built in memory, compact or enumerated, and its graph."""

from __future__ import annotations

from policygen.access.graph import build_graph
from policygen.access.world import World, world_from
from policygen.generate.build import build_text
from policygen.iamdb import load
from policygen.model.finding import Location
from policygen.model.kinds import ROLE
from policygen.parse.located import line_of, parse
from policygen.policydoc.corpus import Corpus
from policygen.policydoc.document import IAM_POLICIES, PolicyDoc


def world_of(text: str, compact: bool, file: str = "org.yaml") -> World:
    """As ingest.org_file.read_org, with the build's compact switch."""
    result = build_text(text, file, compact)
    corpus = Corpus()
    corpus.add_organization({**result.facts, "source": file})
    for artifact in result.artifacts:
        if artifact.kind == ROLE:
            corpus.roles.append({**artifact.data, "AccountId": artifact.account_id})
        if artifact.kind not in IAM_POLICIES:
            continue
        body = parse(artifact.content.decode(), artifact.path)
        corpus.docs.append(PolicyDoc(kind=artifact.kind, body=body, location=Location(artifact.path, line_of(body, 1)),
                                     name=artifact.name, account_id=artifact.account_id, declared=artifact.declared or {}))
    return world_from(corpus)


def edges(world: World) -> set[tuple]:
    """Every edge as (principal, resource, level, network): what is reachable, not which statement decided."""
    return {(e.principal, e.resource, e.level, e.network) for e in build_graph(world, load())}
