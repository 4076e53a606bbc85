"""The graph drops a resource policy's Allow statements whose Condition on who the caller is fails for
a principal (graph._possible_for), before evaluating the pair. That is only a shortcut: the graph
must be the same, edge for edge and grant for grant, as when every statement is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from policygen.access import graph
from policygen.access.declared import forward_access_context, upload_headers
from policygen.access.graph import GraphWork, _candidate_actions, _networks, build_graph
from policygen.access.world import Principal, world_from
from policygen.iamdb import load
from policygen.ingest.collect import collect
from policygen.model.facts import ResourceFacts
from policygen.model.finding import Location
from policygen.policydoc.corpus import Corpus
from policygen.policydoc.document import BUCKET, IDENTITY, PolicyDoc
from tests.property.orgs import scaled_organizations
from tests.property.worlds import world_of

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CATALOGUE = load()


def _graph_without_shortcut(world, monkeypatch, **kwargs):
    with monkeypatch.context() as patched:
        patched.setattr(graph, "_may_hold", lambda tests, caller: True)
        return build_graph(world, CATALOGUE, **kwargs)


def test_reference_graph_is_the_same_without_the_shortcut(monkeypatch):
    world = world_from(collect([str(ROOT / "out")]))
    fast = build_graph(world, CATALOGUE, same_account_stand_ins=True)
    assert len(fast) > 50
    assert fast == _graph_without_shortcut(world_from(collect([str(ROOT / "out")])), monkeypatch, same_account_stand_ins=True)


@SETTINGS
@given(scaled_organizations(with_root=True))
def test_random_graphs_are_the_same_without_the_shortcut(org):
    text = yaml.safe_dump(org, sort_keys=False)
    for compact in (True, False):
        with pytest.MonkeyPatch.context() as monkeypatch:
            slow = _graph_without_shortcut(world_of(text, compact), monkeypatch)
        assert build_graph(world_of(text, compact), CATALOGUE) == slow


def _bucket_world(condition: dict) -> tuple:
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "ReadFromListedAccounts", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::shared/*", "Condition": condition}]}
    corpus = Corpus()
    corpus.docs.append(PolicyDoc(BUCKET, policy, Location("bucket.json", 1), name="shared", account_id="111111111111",
                                 declared=ResourceFacts(arn="arn:aws:s3:::shared")))
    world = world_from(corpus)
    return world, world.resources["arn:aws:s3:::shared"]


def _stand_in(account: str) -> Principal:
    """"Any other principal" of the account, with an administrator's identity policy, as the graph makes it."""
    admin = PolicyDoc(IDENTITY, graph.ADMIN_POLICY, Location("admin", 1), name="admin")
    return Principal(f"arn:aws:iam::{account}:{graph.OTHERS}", account, [admin])


def _actions(condition: dict, account: str) -> list[str]:
    world, bucket = _bucket_world(condition)
    work = GraphWork.plan(world, CATALOGUE)
    return [a for a, _probe, _level in _candidate_actions(world, CATALOGUE, _stand_in(account), bucket, work.naming)]


def test_a_listed_account_keeps_the_statement_and_another_loses_it():
    listed = {"StringEquals": {"aws:PrincipalAccount": ["222222222222"]}}
    assert _actions(listed, "222222222222") == ["s3:GetObject"]
    assert _actions(listed, "333333333333") == []


def test_tests_on_other_keys_or_with_variables_are_left_to_the_evaluator():
    # aws:SourceVpce differs by network: the statement stays for every principal
    assert _actions({"StringEquals": {"aws:SourceVpce": "vpce-1"}}, "333333333333") == ["s3:GetObject"]
    # a value with a policy variable reads another key: not judged here either
    assert _actions({"StringEquals": {"aws:PrincipalAccount": "${aws:ResourceAccount}"}}, "333333333333") == ["s3:GetObject"]
    # a negated test on a principal key is judged like any other: it holds for an unlisted account
    assert _actions({"StringNotEquals": {"aws:PrincipalAccount": "222222222222"}}, "333333333333") == ["s3:GetObject"]
    assert _actions({"StringNotEquals": {"aws:PrincipalAccount": "222222222222"}}, "222222222222") == []


def test_no_network_context_of_the_graph_sets_a_principal_key():
    """The shortcut's premise: every request of the graph from one principal carries the same values
    for graph.PRINCIPAL_KEYS, because the contexts the graph adds per network never name them."""
    world = world_from(collect([str(ROOT / "out")]))
    work = GraphWork.plan(world, CATALOGUE, same_account_stand_ins=True)
    checked = 0
    for principal, resource in work.pairs:
        contexts = [context for _network, context in _networks(world, principal, resource)]
        if resource.kind == "bucket":
            contexts.append(upload_headers(world, resource.arn))
        if resource.kind == "key" and principal.account_id:
            contexts.append(forward_access_context(world, resource.arn, principal.account_id))
        for context in contexts:
            assert not [k for k in context if graph._principal_key(k)], (principal.arn, resource.arn, context)
            checked += 1
    assert checked > 100
