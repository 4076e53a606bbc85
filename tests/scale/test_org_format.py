"""The format extension of issue 13: organization.root, nested OUs, deployment targets naming OUs.

Version 1 files without them load as before; every new field has located errors (file:line:column).
"""

from __future__ import annotations

import pytest

from policygen.errors import InputError
from policygen.loader import load_org_text
from policygen.loader.schema import json_schema

BASE = """\
version: 1
organization:
  id: o-a1b2c3d4e5
  root: r-ab12
  home_region: eu-west-1
  regions: [eu-west-1]
  management_account: management
  ous:
    ml: ou-ab12-00000000
    ml-prod: {id: ou-ab12-22222222, parent: ml}
    ml-eu: {id: ou-ab12-33333333, parent: ml-prod}
accounts:
  management: {id: "111111111111", stage: management}
  source: {id: "222222222222", stage: dev, ou: ml}
  prod-a: {id: "333333333333", stage: prod, ou: ml-prod}
  prod-b: {id: "444444444444", stage: prod, ou: ml-eu}
  shared: {id: "555555555555", stage: shared-services}
keys:
  k: {account: source}
buckets:
  models: {name: pg-models, account: source, key: k}
ecr_repositories:
  images: {account: shared}
deployment:
  source: source
  models_bucket: models
  images: images
  targets: [ml-prod]
  stackset_admin: shared
"""


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_org_text(text, "org.yaml")
    return [str(p) for p in info.value.problems]


def test_nested_ous_root_and_ou_targets_resolve():
    org = load_org_text(BASE, "org.yaml")
    o = org.organization
    assert o.root == "r-ab12"
    assert o.ous["ml-eu"].parent == "ml-prod" and o.ous["ml"].parent is None
    assert o.ancestry("ml-eu") == ("ml", "ml-prod", "ml-eu")
    assert o.org_path("ml-eu") == "o-a1b2c3d4e5/r-ab12/ou-ab12-00000000/ou-ab12-22222222/ou-ab12-33333333/"
    assert o.org_path(None) == "o-a1b2c3d4e5/r-ab12/"
    assert org.accounts_under["ml-prod"] == {"prod-a", "prod-b"}
    assert org.accounts_under["ml"] == {"source", "prod-a", "prod-b"}
    assert org.deployment.targets == ("prod-a", "prod-b") and org.deployment.target_ous == ("ml-prod",)


def test_a_version_1_file_without_the_new_keys_loads_as_before():
    text = BASE.replace("  root: r-ab12\n", "").replace(
        "    ml-prod: {id: ou-ab12-22222222, parent: ml}\n    ml-eu: {id: ou-ab12-33333333, parent: ml-prod}\n",
        "    ml-prod: ou-ab12-22222222\n    ml-eu: ou-ab12-33333333\n").replace("targets: [ml-prod]", "targets: [prod-b, prod-a]")
    org = load_org_text(text, "org.yaml")
    assert org.organization.root is None and org.organization.org_path("ml") is None
    assert all(ou.parent is None for ou in org.organization.ous.values())
    assert org.deployment.targets == ("prod-b", "prod-a") and org.deployment.target_ous == ()


@pytest.mark.parametrize("change, expected", [
    (("root: r-ab12", "root: x-12"), "org.yaml:4:9: 'x-12' at organization.root is not an organization root id like r-ab12"),
    (("{id: ou-ab12-22222222, parent: ml}", "{id: ou-ab12-22222222, parent: mll}"),
     "org.yaml:10:45: unknown OU 'mll'; did you mean 'ml'? (known OUs: ml, ml-eu, ml-prod)"),
    (("{id: ou-ab12-22222222, parent: ml}", "{id: ou-ab12-22222222, parent: ml-eu}"),
     "org.yaml:10:45: OU 'ml-prod' is its own ancestor (ml-prod -> ml-eu -> ml-prod); an OU tree has no cycles"),
    (("{id: ou-ab12-22222222, parent: ml}", "{id: ou-ab12-33333333, parent: ml}"),
     "org.yaml:11:12: OU id ou-ab12-33333333 is used by both 'ml-prod' and 'ml-eu'"),
    (("{id: ou-ab12-22222222, parent: ml}", "{id: ou-ab12-22222222, parnt: ml}"),
     "org.yaml:10:37: unknown key 'parnt' in organization.ous.ml-prod; did you mean 'parent'?"),
    (("{id: ou-ab12-22222222, parent: ml}", "{id: ou-bad, parent: ml}"),
     "org.yaml:10:19: 'ou-bad' at organization.ous.ml-prod.id is not an OU id like ou-ab12-11111111"),
    (("{id: ou-ab12-22222222, parent: ml}", "{parent: ml}"), "org.yaml:10:14: missing required key 'id' in organization.ous.ml-prod"),
    (("targets: [ml-prod]", "targets: [ml-prd]"),
     "org.yaml:28:13: unknown account or OU 'ml-prd'; did you mean 'ml-prod'? (known account or OUs: management, ml, ml-eu, ml-prod, prod-a, prod-b, shared, source)"),
    (("targets: [ml-prod]", "targets: [ml-prod, prod-b]"),
     "org.yaml:28:22: deployment targets list account 'prod-b' twice ('ml-prod' and 'prod-b')"),
    (("  shared: {id", "  ml-new: {id: \"666666666666\", stage: prod}\n  shared: {id"), None),
])
def test_every_new_field_has_a_located_error(change, expected):
    text = BASE.replace(*change)
    if expected is None:  # an OU with no accounts
        text = text.replace("    ml-eu: {id", "    ml-none: {id: ou-ab12-44444444, parent: ml}\n    ml-eu: {id").replace(
            "targets: [ml-prod]", "targets: [ml-none]")
        expected = "org.yaml:30:13: OU 'ml-none' has no accounts in this file, so it deploys nowhere"
    assert expected in problems(text)


def test_a_name_that_is_both_an_ou_and_an_account_is_refused_as_a_target():
    text = BASE.replace("  shared: {id", "  ml: {id: \"777777777777\", stage: prod}\n  shared: {id").replace(
        "targets: [ml-prod]", "targets: [ml]")
    assert any("'ml' names both an OU and an account; rename one" in p for p in problems(text))


def test_the_json_schema_offers_both_ou_forms_and_the_root():
    schema = json_schema()
    organization = schema["$defs"]["OrganizationSpec"]["properties"]
    assert "root" in organization
    forms = next(iter(organization["ous"]["patternProperties"].values()))["oneOf"]
    assert {"type": "string", "pattern": r"^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$"} in forms
    assert {"$ref": "#/$defs/OuSpec"} in forms
    assert schema["$defs"]["OuSpec"]["required"] == ["id"]
