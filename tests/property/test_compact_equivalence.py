"""Compact encodings change how policies are written, never who can reach what.

On random organizations, the access graph of the compact build equals the graph of the
enumerated build (`build_text(..., compact=False)`), edge for edge: principal, resource, level
and network. Which statement decided an edge may differ (that is the point), so it is not compared.
"""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, example, given, settings

from tests.property.orgs import scaled_organizations
from tests.property.worlds import edges, with_org_paths, world_of

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# One organization where the deployment targets are exactly an OU, so organization paths are chosen.
OU_TARGETS = {
    "version": 1,
    "organization": {"id": "o-a1b2c3d4e5", "root": "r-ab12", "home_region": "eu-west-1", "regions": ["eu-west-1"],
                     "management_account": "mgmt", "ous": {"ml": "ou-ab12-00000000", "ml-a": {"id": "ou-ab12-11111111", "parent": "ml"}}},
    "accounts": {"mgmt": {"id": "999999999999", "stage": "management"},
                 **{f"acct{i}": {"id": f"{100000000000 + i * 7919:012d}", "stage": "prod", "ou": "ml-a" if i > 1 else "ml",
                                 "network": {"endpoints": {"s3": f"vpce-{i:08x}000000000", "kms": f"vpce-{i:08x}000000001"}}}
                    for i in range(9)}},
    "keys": {"models-key": {"account": "acct0"}, "hub-key": {"account": "acct1"}},
    "buckets": {"models": {"name": "pg-test-models", "account": "acct0", "key": "models-key"},
                "hub-models": {"name": "pg-test-hub-models", "account": "acct1", "key": "hub-key"}},
    "ecr_repositories": {"images": {"account": "acct1"}},
    "deployment": {"source": "acct0", "models_bucket": "models", "images": "images", "targets": ["ml-a"],
                   "stackset_admin": "acct1"},
    "model_registry": {"hub": "acct1", "pattern": "pull", "artifacts_bucket": "hub-models", "images": "images",
                       "groups": {"g": {"spokes": [f"acct{i}" for i in range(2, 9)]}}},
}


def _same_graph(org: dict, org_path_context: bool = False) -> None:
    text = yaml.safe_dump(org, sort_keys=False)
    compact, enumerated = world_of(text, compact=True), world_of(text, compact=False)
    if org_path_context:
        compact, enumerated = with_org_paths(compact), with_org_paths(enumerated)
    got, want = edges(compact), edges(enumerated)
    assert got == want, f"only compact: {sorted(got - want)[:5]}; only enumerated: {sorted(want - got)[:5]}"


@SETTINGS
@given(scaled_organizations(with_root=False))
def test_compact_build_has_the_enumerated_graph(org):
    """Without a root id: account lists, fixed role names, identity-side patterns, merged statements."""
    _same_graph(org)


@SETTINGS
@example(OU_TARGETS)
@given(scaled_organizations(with_root=True))
def test_compact_build_with_org_paths_has_the_enumerated_graph(org):
    _same_graph(org)


@SETTINGS
@example(OU_TARGETS)
@given(scaled_organizations(with_root=True))
def test_compact_build_with_org_paths_has_the_enumerated_graph_given_org_path_context(org):
    """The same, with the org-path keys AWS would send put into each request by the test (a stand-in
    for the evaluator's support): the encodings are exact once the evaluator knows the keys."""
    _same_graph(org, org_path_context=True)


def test_the_compact_forms_are_used_and_smaller():
    """The equivalence above is not vacuous: the compact build does use the compact forms."""
    from policygen.generate.build import build_text

    text = yaml.safe_dump(OU_TARGETS, sort_keys=False)
    compact, enumerated = build_text(text, "org.yaml"), build_text(text, "org.yaml", compact=False)
    compact_text = b"".join(compact.files.values())
    assert b"aws:PrincipalOrgPaths" in compact_text and b"aws:ResourceOrgPaths" in compact_text
    assert b"aws:PrincipalOrgPaths" not in b"".join(enumerated.files.values())
    flat = dict(OU_TARGETS, organization={k: v for k, v in OU_TARGETS["organization"].items() if k != "root"})
    no_root = b"".join(build_text(yaml.safe_dump(flat, sort_keys=False), "org.yaml").files.values())
    assert b"aws:PrincipalAccount" in no_root and b"aws:ResourceAccount" in no_root
    policies = lambda b: sum(len(a.content) for a in b.artifacts if a.kind.endswith("-policy"))  # noqa: E731
    assert policies(compact) < policies(enumerated)
