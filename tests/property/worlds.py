"""The access world of an organization file built in memory, compact or enumerated, and its graph."""

from __future__ import annotations

from policygen.access.graph import build_graph
from policygen.access.world import World, world_from
from policygen.generate.build import build_text
from policygen.iamdb import load
from policygen.model.finding import Location
from policygen.model.facts import ResourceFacts
from policygen.model.kinds import ROLE
from policygen.parse.located import line_of, parse
from policygen.policydoc.corpus import Corpus
from policygen.policydoc.document import IAM_POLICIES, PolicyDoc


def world_of(text: str, compact: bool, file: str = "org.yaml") -> World:
    """As ingest.org_file.read_org, with the build's compact switch."""
    result = build_text(text, file, compact=compact)
    corpus = Corpus()
    corpus.add_organization(result.facts)
    for artifact in result.artifacts:
        if artifact.kind == ROLE:
            corpus.roles.append({**artifact.data, "AccountId": artifact.account_id})
        if artifact.kind not in IAM_POLICIES:
            continue
        body = parse(artifact.content.decode(), artifact.path)
        corpus.docs.append(PolicyDoc(kind=artifact.kind, body=body, location=Location(artifact.path, line_of(body, 1)),
                                     name=artifact.name, account_id=artifact.account_id, declared=artifact.declared or ResourceFacts()))
    return world_from(corpus)


def edges(world: World) -> set[tuple]:
    """Every edge as (principal, resource, level, network): what is reachable, not which statement decided.

    Stand-ins ("any other principal of account X") are asked about every resource of their own
    account too: by default the graph asks them only about resources whose policy names their
    account or anyone, and a compact policy (Principal "*" pinned by conditions) names anyone, so
    the default graph of the two builds would differ by edges that exist in both (ordinary IAM
    within one account), only asked in one.
    """
    return {(e.principal, e.resource, e.level, e.network) for e in build_graph(world, load(), same_account_stand_ins=True)}


def with_org_paths(world: World) -> World:
    """The world, with the organization keys AWS puts into every request (aws:PrincipalOrgPaths,
    aws:ResourceOrgPaths, aws:ResourceOrgID) computed from the facts: what the evaluator will do once
    it supports them (issue 13 point 3), done here so the compact encodings can be tested now."""
    from policygen.access.arn import account_of
    from policygen.access.evaluate import Request

    facts = world.facts
    parents, ou_of, ou_ids = facts.ou_parents, facts.account_ous, facts.ous

    def path(account_id: str | None) -> str | None:
        name = world.account_name(account_id)
        if name is None or not facts.root:
            return None
        chain, ou = [], ou_of.get(name)
        while ou is not None:
            chain.insert(0, ou_ids[ou])
            ou = parents.get(ou)
        return f"{facts.id}/{facts.root}/" + "".join(f"{i}/" for i in chain)

    plain = world.request

    def request(principal, action, resource, context=None):
        r = plain(principal, action, resource, context)
        extra = {}
        if path(account_of(principal)):
            extra["aws:PrincipalOrgPaths"] = [path(account_of(principal))]
        if path(r.resource_account):
            extra["aws:ResourceOrgPaths"] = [path(r.resource_account)]
            extra["aws:ResourceOrgID"] = facts.id
        return Request(r.principal, r.action, r.resource, r.resource_account, {**extra, **r.context})

    world.request = request
    return world
