"""Bad organization files: one located message each, naming file, line, column and value."""

from __future__ import annotations

import re

import pytest

from policygen.errors import InputError
from policygen.loader import load_org_text

MINIMAL = """\
version: 1
organization:
  id: o-a1b2c3d4e5
  home_region: eu-west-1
  regions: [eu-west-1]
  management_account: management
  ous:
    ml-dev: ou-ab12-11111111
accounts:
  management:
    id: "111111111111"
    stage: management
  dev:
    id: "444444444444"
    stage: dev
    ou: ml-dev
"""


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_org_text(text, "org.yaml")
    return [str(p) for p in info.value.problems]


def test_minimal_file_loads():
    org = load_org_text(MINIMAL, "org.yaml")
    assert sorted(org.accounts) == ["dev", "management"]


def test_duplicate_key_names_both_lines():
    text = MINIMAL + "  dev:\n    id: \"555555555555\"\n    stage: dev\n"
    assert problems(text) == ["org.yaml:17:3: duplicate key 'dev' (first defined at line 13)"]


@pytest.mark.parametrize("written", ["012345678901", "444444444444"])
def test_unquoted_account_id_says_to_quote(written):
    text = MINIMAL.replace('id: "444444444444"', f"id: {written}")
    [message] = problems(text)
    assert message.startswith("org.yaml:14:9: account id ")
    assert f'write id: "{written}"' in message


def test_malformed_account_id():
    [message] = problems(MINIMAL.replace('"444444444444"', '"44444"'))
    assert message == "org.yaml:14:9: '44444' at accounts.dev.id is not a 12-digit AWS account id in quotes"


def test_unknown_key_suggests_nearest():
    [message] = problems(MINIMAL.replace("    stage: dev\n", "    stgae: dev\n    stage: dev\n"))
    assert message == "org.yaml:15:5: unknown key 'stgae' in accounts.dev; did you mean 'stage'?"


def test_dangling_reference_lists_known_names():
    [message] = problems(MINIMAL.replace("ou: ml-dev", "ou: ml-devv"))
    assert message == "org.yaml:16:9: unknown OU 'ml-devv'; did you mean 'ml-dev'? (known OUs: ml-dev)"


def test_unknown_enum_value():
    [message] = problems(MINIMAL.replace("stage: dev", "stage: develop"))
    assert message.startswith("org.yaml:15:12: unknown value 'develop' for accounts.dev.stage; expected one of ")
    assert "did you mean 'dev'?" in message


@pytest.mark.parametrize("text,expected", [
    (MINIMAL.replace("version: 1\n", ""), "org.yaml:1:1: missing 'version: 1' (the format version is required)"),
    (MINIMAL.replace("version: 1", "version: 2"), "org.yaml:1:10: version must be 1, got '2'"),
])
def test_version_missing_or_wrong(text, expected):
    assert problems(text) == [expected]


def test_yaml_syntax_error_is_located():
    [message] = problems(MINIMAL + "  broken: [unclosed\n")
    assert re.match(r"org\.yaml:\d+:\d+: YAML syntax error", message)


def test_every_problem_is_reported_in_line_order():
    text = MINIMAL.replace("ou: ml-dev", "ou: nope").replace("management_account: management", "management_account: boss")
    found = problems(text)
    assert [m.split(":")[1] for m in found] == ["6", "16"]


def test_vpc_only_consumer_without_endpoint_is_an_input_error():
    from policygen.generate.plan import build_plan

    text = MINIMAL + """\
keys:
  k:
    account: dev
buckets:
  b:
    name: my-bucket-name
    account: dev
    key: k
    vpc_only: true
teams:
  t1:
    account: dev
    read: [b]
"""
    org = load_org_text(text, "org.yaml")
    with pytest.raises(InputError) as info:
        build_plan(org)
    [message] = [str(p) for p in info.value.problems]
    assert message.startswith("org.yaml:29:12: bucket 'b' is vpc_only, but dev/role/SageMakerStudioExecutionRole-t1")
    assert "no 's3' VPC endpoint" in message
