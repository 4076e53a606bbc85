"""Located values know the 1-based column they start at, for YAML (block, flow, short-form tags) and JSON.

Expected columns are found in the text itself (`_at`), so each assertion names the character the
parser must point at and fails if the column is off by one or missing.
"""

from __future__ import annotations

from policygen.ingest.intrinsics import choose, flatten
from policygen.ingest.template import substitute
from policygen.parse.located import LDict, column_at, map_tree, KEEP, parse, parse_json, parse_yaml, position_of


def _at(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """(line, column), 1-based, of the n-th occurrence of needle in text."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


BLOCK = """Version: "2012-10-17"
Statement:
  - Sid: Read
    Effect: Allow
    Action:
      - s3:GetObject
    Resource: "arn:aws:s3:::b/*"
"""


def test_yaml_block_style_values_and_keys():
    data = parse_yaml(BLOCK, "p.yaml")
    statement = data["Statement"][0]
    assert position_of(data) == (1, 1)
    assert position_of(data["Statement"]) == _at(BLOCK, "- Sid")
    assert position_of(statement) == _at(BLOCK, "Sid")  # a block mapping starts at its first key
    assert statement.position_of("Effect") == _at(BLOCK, "Effect")
    assert position_of(statement["Effect"]) == _at(BLOCK, "Allow")
    assert position_of(statement["Action"][0]) == _at(BLOCK, "s3:GetObject")
    assert position_of(statement["Resource"]) == _at(BLOCK, '"arn')  # a quoted scalar starts at its quote
    assert data.key_cols == {"Version": 1, "Statement": 1}
    assert statement.position_of("Resource") == _at(BLOCK, "Resource")
    # a key is a plain string: its place is the mapping's to tell (a located one would cost five times as much)
    assert all(type(k) is str for k in statement) and position_of(next(iter(statement))) == (0, 0)


FLOW = 'Statement: [{Effect: Allow, Action: ["s3:GetObject", "s3:PutObject"]}, {Effect: Deny}]\n'


def test_yaml_flow_style():
    data = parse_yaml(FLOW, "p.yaml")
    first, second = data["Statement"]
    assert position_of(data["Statement"]) == _at(FLOW, "[{")
    assert position_of(first) == _at(FLOW, "{Effect")
    assert first.position_of("Action") == _at(FLOW, "Action")
    assert position_of(first["Action"][1]) == _at(FLOW, '"s3:PutObject"')
    assert position_of(second) == _at(FLOW, "{Effect", 1)
    assert second.position_of("Effect") == _at(FLOW, "Effect", 1)


SHORT = """Resources:
  P:
    Properties:
      Roles: [!Ref RoleA]
      Arn: !GetAtt Bucket.Arn
      Name: !Sub
        - "${Prefix}-x"
        - Prefix: !Ref P
"""


def test_short_form_tags_stand_where_the_tag_is_written():
    props = parse_yaml(SHORT, "t.yaml")["Resources"]["P"]["Properties"]
    ref = props["Roles"][0]
    assert position_of(ref) == _at(SHORT, "!Ref RoleA") and position_of(ref["Ref"]) == _at(SHORT, "!Ref RoleA")
    get_att = props["Arn"]
    assert position_of(get_att) == _at(SHORT, "!GetAtt")
    assert [position_of(part) for part in get_att["Fn::GetAtt"]] == [_at(SHORT, "!GetAtt")] * 2
    sub = props["Name"]
    assert position_of(sub) == _at(SHORT, "!Sub")
    assert position_of(sub["Fn::Sub"][0]) == _at(SHORT, '"${Prefix}')
    assert sub["Fn::Sub"][1].position_of("Prefix") == _at(SHORT, "Prefix:")
    assert position_of(sub["Fn::Sub"][1]["Prefix"]) == _at(SHORT, "!Ref P")


MULTI = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject",   "s3:Put\\"Object"],
      "Resource": "*", "Weird\\\\\\"key\\\\": true, "n": 12
    }
  ]
}
"""


def test_json_multi_line_values_and_keys():
    data = parse_json(MULTI, "p.json")
    statement = data["Statement"][0]
    assert position_of(data) == (1, 1) and position_of(data["Statement"]) == _at(MULTI, "[\n")
    assert position_of(statement) == _at(MULTI, "{", 1)
    assert data.position_of("Statement") == _at(MULTI, '"Statement"')
    assert statement.position_of("Effect") == _at(MULTI, '"Effect"')
    assert position_of(statement["Effect"]) == _at(MULTI, '"Allow"')
    assert position_of(statement["Action"]) == _at(MULTI, '["s3')
    assert position_of(statement["Action"][1]) == _at(MULTI, '"s3:Put')
    # keys with escaped quotes and backslashes; values that cannot carry a place (booleans, numbers)
    assert statement.position_of('Weird\\"key\\') == _at(MULTI, '"Weird')
    assert statement.position_of("n") == _at(MULTI, '"n"')
    assert all(type(k) is str for k in statement)


ONE_LINE = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*"}]}'


def test_json_on_one_line():
    data = parse(ONE_LINE, "p.json")
    first, second = data["Statement"]
    assert position_of(first) == _at(ONE_LINE, '{"Effect"')
    assert position_of(second) == _at(ONE_LINE, '{"Effect"', 1)
    assert first.position_of("Resource") == _at(ONE_LINE, '"Resource"')
    assert position_of(first["Resource"]) == _at(ONE_LINE, '"*"', 1)
    assert second.position_of("Action") == _at(ONE_LINE, '"Action"', 1)


def test_a_byte_order_mark_keeps_the_columns_as_written():
    text = '\ufeff{"a": "b"}'
    assert parse(text, "p.json").position_of("a") == (1, 3) and position_of(parse(text, "p.json")["a"]) == (1, 8)


def test_col_of_a_key_whose_column_is_unknown_is_zero_not_the_mappings():
    data = LDict({"a": 1})
    data.line, data.col, data.key_lines = 3, 5, {"a": 4}  # built by hand, as ingest does for synthetic statements
    assert data.position_of("a") == (4, 0) and data.position_of("missing") == (3, 5)


TEMPLATE = """Parameters:
  Env: {Type: String, Default: dev}
Resources:
  P:
    Properties:
      Bucket: !Ref Data
      Name: !Sub "${Env}-logs"
      Maybe: !If [IsProd, {Ref: Data}, {Ref: "AWS::NoValue"}]
      Keep: [a, {Ref: "AWS::NoValue"}, b]
"""


def test_rebuilt_trees_keep_lines_columns_and_key_places():
    data = parse_yaml(TEMPLATE, "t.yaml")
    props = data["Resources"]["P"]["Properties"]
    substituted = substitute(data, {"Data": "my-bucket"})["Resources"]["P"]["Properties"]
    assert substituted["Bucket"] == "my-bucket" and position_of(substituted["Bucket"]) == _at(TEMPLATE, "!Ref Data")
    assert substituted.key_lines == props.key_lines and substituted.key_cols == props.key_cols
    assert position_of(substituted) == position_of(props)
    flat = flatten(props, {"Env": "prod"})
    assert flat["Name"] == "prod-logs" and position_of(flat["Name"]) == _at(TEMPLATE, "!Sub")
    assert flat.key_cols == props.key_cols and position_of(flat["Keep"][2]) == _at(TEMPLATE, "b]")
    chosen = choose(props, {"IsProd": False})
    assert "Maybe" not in chosen and list(chosen["Keep"]) == ["a", "b"]
    assert position_of(chosen["Keep"]) == _at(TEMPLATE, "[a") and chosen.key_cols == props.key_cols


def test_map_tree_copies_instead_of_sharing():
    data = parse_yaml(BLOCK, "p.yaml")
    copy = map_tree(data, lambda node: KEEP)
    assert copy == data and copy is not data and copy.key_cols is not data.key_cols
    assert position_of(copy["Statement"][0]["Action"]) == position_of(data["Statement"][0]["Action"])


def test_column_at_finds_the_first_located_value_on_a_line():
    data = parse_json(MULTI, "p.json")
    statement = data["Statement"][0]
    line, col = _at(MULTI, '"Resource"')
    assert column_at(statement, line) == col  # the key, not the values after it on that line
    assert column_at(statement, _at(MULTI, '"Action"')[0]) == _at(MULTI, '"Action"')[1]
    assert column_at(statement, 1) is None  # nothing of the statement starts on line 1
    assert column_at(data, data.line_of("Statement"), depth=1) == data.col_of("Statement")
