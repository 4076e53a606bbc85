"""Issue 12: each family of false positives and misses, with a passing and a failing case.

Every case is linted the way a user runs `policygen lint FILE`: all rules, no organization file.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from policygen.lint.engine import load_rules
from policygen.lint.run import LintOptions, run

RULES = load_rules()


def lint(tmp_path: Path, name: str, text: str, **options) -> list:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())
    return run(LintOptions(find_config=False, **options), [str(path)]).findings


def flagged(findings) -> set[str]:
    return {f.rule for f in findings if f.severity in ("error", "warning")}


ROLE_WITH_IF = """
    AWSTemplateFormatVersion: '2010-09-09'
    Conditions:
      IsProd: !Equals [!Ref AWS::StackName, prod]
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Principal: {Service: lambda.amazonaws.com}
                Action: sts:AssumeRole
          Policies:
            - PolicyName: app
              PolicyDocument:
                Version: '2012-10-17'
                Statement:
                  - Effect: Allow
                    Action: s3:GetObject
                    Resource: arn:aws:s3:::models/*
                  - !If
                    - IsProd
                    - Effect: Allow
                      Action: ACTION
                      Resource: RESOURCE
                    - !Ref AWS::NoValue
"""


# 1. Fn::If in a statement list and in a Condition -------------------------------------------
def test_fn_if_statement_is_read_per_branch(tmp_path):
    clean = ROLE_WITH_IF.replace("ACTION", "sqs:SendMessage").replace("RESOURCE", "arn:aws:sqs:us-east-1:111122223333:q")
    assert flagged(lint(tmp_path, "ok.yaml", clean)) == set()


def test_fn_if_branch_problem_is_found(tmp_path):
    bad = ROLE_WITH_IF.replace("ACTION", "'*'").replace("RESOURCE", "'*'")
    assert flagged(lint(tmp_path, "bad.yaml", bad)) == {"LP101"}


BUCKET_IF_CONDITION = """
    AWSTemplateFormatVersion: '2010-09-09'
    Conditions:
      HasOrg: !Equals [!Ref AWS::Region, us-east-1]
    Resources:
      Bucket:
        Type: AWS::S3::Bucket
      Policy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Bucket
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Principal: '*'
                Action: s3:GetObject
                Resource: !Sub '${Bucket.Arn}/*'
                Condition: !If
                  - HasOrg
                  - StringEquals: {aws:PrincipalOrgID: o-a1b2c3d4e5}
                  - SECOND
              - Effect: Deny
                Principal: '*'
                Action: 's3:*'
                Resource: [!GetAtt Bucket.Arn, !Sub '${Bucket.Arn}/*']
                Condition: {Bool: {aws:SecureTransport: 'false'}}
"""


def test_condition_pinned_in_both_branches_is_not_public(tmp_path):
    text = BUCKET_IF_CONDITION.replace("SECOND", "StringEquals: {aws:PrincipalAccount: '444455556666'}")
    assert flagged(lint(tmp_path, "ok.yaml", text)) == set()


def test_condition_open_in_one_branch_is_public(tmp_path):
    text = BUCKET_IF_CONDITION.replace("SECOND", "!Ref AWS::NoValue")
    assert "DP301" in flagged(lint(tmp_path, "bad.yaml", text))


# 2. Resource policies of other services, and RCPs --------------------------------------------
QUEUE_POLICY = """
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
      "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"CONDITION}]}
"""


def test_queue_policy_is_a_resource_policy_not_a_trust_policy(tmp_path):
    text = QUEUE_POLICY.replace("CONDITION", ', "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"}}')
    findings = lint(tmp_path, "queue.json", text)
    assert flagged(findings) == set(), findings


def test_public_queue_policy_is_reported_once(tmp_path):
    text = QUEUE_POLICY.replace('{"Service": "sns.amazonaws.com"}', '"*"').replace("CONDITION", "")
    findings = [f for f in lint(tmp_path, "queue.json", text) if f.severity != "info"]
    assert [f.rule for f in findings] == ["DP301"]


LAMBDA_PERMISSION = """
    AWSTemplateFormatVersion: '2010-09-09'
    Resources:
      Invoke:
        Type: AWS::Lambda::Permission
        Properties:
          Action: lambda:InvokeFunction
          FunctionName: scorer
          Principal: PRINCIPAL
"""


def test_lambda_permission_for_a_pinned_service(tmp_path):
    text = LAMBDA_PERMISSION.replace("PRINCIPAL", "s3.amazonaws.com\n          SourceAccount: !Ref AWS::AccountId\n"
                                                  "          SourceArn: arn:aws:s3:::uploads")
    assert flagged(lint(tmp_path, "ok.yaml", text)) == set()


def test_lambda_permission_for_anyone(tmp_path):
    assert flagged(lint(tmp_path, "bad.yaml", LAMBDA_PERMISSION.replace("PRINCIPAL", "'*'"))) == {"DP301"}


RCP = """
    {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": ACTION, "Resource": "*",
      "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
                    "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}
"""


def test_rcp_is_not_a_bucket_policy(tmp_path):
    findings = lint(tmp_path, "rcps/org-only.json", RCP.replace("ACTION", '["s3:*", "sqs:*"]'))
    assert flagged(findings) == set(), findings


def test_rcp_with_an_unknown_action_is_reported(tmp_path):
    assert flagged(lint(tmp_path, "rcps/typo.json", RCP.replace("ACTION", '["s3:GetObjects"]'))) == {"SY004"}


# 3. The template's own account -----------------------------------------------------------------
KEY = """
    AWSTemplateFormatVersion: '2010-09-09'
    Resources:
      Key:
        Type: AWS::KMS::Key
        Properties:
          KeyPolicy:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Principal: {AWS: ROOT}
                Action: 'kms:*'
                Resource: '*'
"""


@pytest.mark.parametrize("root", ["!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'",
                                  "!Join ['', ['arn:aws:iam::', !Ref 'AWS::AccountId', ':root']]",
                                  "!Ref AWS::AccountId"])
def test_own_account_root_may_hold_kms_star(tmp_path, root):
    assert flagged(lint(tmp_path, "key.yaml", KEY.replace("ROOT", root))) == set()


def test_other_account_root_may_not_hold_kms_star(tmp_path):
    text = KEY.replace("ROOT", "!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'") + textwrap.indent(textwrap.dedent("""
        - Effect: Allow
          Principal: {AWS: 'arn:aws:iam::444455556666:root'}
          Action: 'kms:*'
          Resource: '*'
    """).lstrip(), " " * 14)
    assert "DP305" in flagged(lint(tmp_path, "key.yaml", text))


TRUST = """
    AWSTemplateFormatVersion: '2010-09-09'
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Principal: {AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'}
                Action: sts:AssumeRole
                CONDITION
"""


def test_own_account_trust_pinned_by_principal_arn(tmp_path):
    text = TRUST.replace("CONDITION", "Condition: {ArnEquals: {aws:PrincipalArn: !Sub 'arn:aws:iam::${AWS::AccountId}:role/ci'}}")
    assert flagged(lint(tmp_path, "ok.yaml", text)) == set()


def test_own_account_trust_of_the_whole_account(tmp_path):
    assert flagged(lint(tmp_path, "bad.yaml", TRUST.replace("CONDITION", ""))) == {"LP110"}


# 4. XA207 without an organization file ---------------------------------------------------------
REPOSITORY = """
    AWSTemplateFormatVersion: '2010-09-09'
    Resources:
      Repo:
        Type: AWS::ECR::Repository
        Properties:
          RepositoryName: serving
          RepositoryPolicyText:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Principal: {AWS: PRINCIPAL}
                Action: ACTIONS
"""


def test_account_root_grant_without_org_is_intended(tmp_path):
    text = REPOSITORY.replace("PRINCIPAL", "arn:aws:iam::444455556666:root").replace(
        "ACTIONS", "[ecr:BatchGetImage, ecr:GetDownloadUrlForLayer]")
    assert flagged(lint(tmp_path, "ok.yaml", text)) == set()


def test_public_access_without_org_is_undeclared(tmp_path):
    text = REPOSITORY.replace("PRINCIPAL", "'*'").replace("ACTIONS", "[ecr:BatchGetImage]")
    assert flagged(lint(tmp_path, "bad.yaml", text, select=("XA207",))) == {"XA207"}


# 5. Severity and one finding per problem -------------------------------------------------------
IDENTITY = """
    {"Version": "2012-10-17", "Statement": [STATEMENTS]}
"""


def test_action_star_is_one_finding(tmp_path):
    text = IDENTITY.replace("STATEMENTS", '{"Effect": "Allow", "Action": "*", "Resource": "*"}')
    findings = [f for f in lint(tmp_path, "admin.json", text) if f.severity != "info"]
    assert [f.rule for f in findings] == ["LP101"]


def test_put_role_policy_on_star_is_the_escalation_finding(tmp_path):
    text = IDENTITY.replace("STATEMENTS", '{"Effect": "Allow", "Action": ["iam:PutRolePolicy", "iam:PassRole", '
                                          '"iam:CreateRole"], "Resource": "*"}')
    rules = flagged(lint(tmp_path, "esc.json", text))
    assert "LP109" in rules and "LP103" not in rules


def test_empty_sids_are_not_duplicates(tmp_path):
    statement = '{"Sid": "SID", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}'
    assert flagged(lint(tmp_path, "a.json", IDENTITY.replace("STATEMENTS", ", ".join([statement.replace("SID", "")] * 2)))) == set()
    assert flagged(lint(tmp_path, "b.json", IDENTITY.replace("STATEMENTS", ", ".join([statement.replace("SID", "Read")] * 2)))) == {"SY016"}


def test_non_sts_actions_in_a_trust_policy_are_one_finding(tmp_path):
    text = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, '
            '"Action": ["sts:AssumeRole", "s3:GetObject", "s3:PutObject"]}]}')
    findings = [f for f in lint(tmp_path, "trust/role.json", text) if f.rule == "SY018"]
    assert len(findings) == 1 and "'s3:GetObject', 's3:PutObject'" in findings[0].message


def test_same_account_users_are_not_a_cross_account_push(tmp_path):
    own = REPOSITORY.replace("PRINCIPAL", "!Sub 'arn:aws:iam::${AWS::AccountId}:user/ci'").replace("ACTIONS", "[ecr:PutImage]")
    other = REPOSITORY.replace("PRINCIPAL", "arn:aws:iam::444455556666:root").replace("ACTIONS", "[ecr:PutImage]")
    assert "DP310" not in flagged(lint(tmp_path, "own.yaml", own))
    assert "DP310" in flagged(lint(tmp_path, "other.yaml", other))


def test_supersedes_is_acyclic_and_names_real_rules():
    ids = {r.id for r in RULES}
    wins = {r.id: set(r.supersedes) for r in RULES}
    for rule_id, losers in wins.items():
        assert losers <= ids, (rule_id, losers - ids)
        assert not any(rule_id in wins.get(loser, ()) for loser in losers), rule_id


# 6. JSON-string policies ----------------------------------------------------------------------
JSON_IN_IF = """
    {"AWSTemplateFormatVersion": "2010-09-09",
     "Conditions": {"Wide": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}},
     "Resources": {"Policy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Fn::If": ["Wide",
       {"Fn::Sub": "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"ACTION\\", \\"Resource\\": \\"arn:aws:s3:::${AWS::AccountId}-models/*\\"}]}"},
       {"Fn::Sub": "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\", \\"Resource\\": \\"arn:aws:s3:::${AWS::AccountId}-models/*\\"}]}"}
     ]}}}}}
"""


def test_json_string_policy_in_sub_in_if_is_parsed(tmp_path):
    assert flagged(lint(tmp_path, "ok.json", JSON_IN_IF.replace("ACTION", "s3:PutObject"))) == set()


def test_json_string_policy_star_is_reported(tmp_path):
    assert flagged(lint(tmp_path, "bad.json", JSON_IN_IF.replace("ACTION", "*"))) == {"LP101"}


# 7. SAM -------------------------------------------------------------------------------------------
SAM = """
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          Handler: app.handler
          CodeUri: src/
          Policies:
            - S3ReadPolicy: {BucketName: models}
            - AWSLambdaBasicExecutionRole
            - Statement:
                - Effect: Allow
                  Action: ACTION
                  Resource: arn:aws:sqs:us-east-1:111122223333:jobs
"""


def test_sam_named_templates_are_skipped_and_inline_statements_read(tmp_path):
    assert flagged(lint(tmp_path, "ok.yaml", SAM.replace("ACTION", "sqs:SendMessage"))) == set()


def test_sam_inline_statement_is_checked(tmp_path):
    assert flagged(lint(tmp_path, "bad.yaml", SAM.replace("ACTION", "'sqs:*'"))) == {"LP101"}


# 8. Parameter defaults ------------------------------------------------------------------------
def test_parameter_default_account_counts(tmp_path):
    text = "Parameters:\n  Consumer:\n    Type: String\n    Default: 'ACCOUNT'\n" + textwrap.dedent(REPOSITORY).lstrip()
    text = text.replace("PRINCIPAL", "!Sub 'arn:aws:iam::${Consumer}:root'").replace("ACTIONS", "[ecr:PutImage]")
    assert "DP310" in flagged(lint(tmp_path, "other.yaml", text.replace("ACCOUNT", "444455556666")))
    own = text.replace("!Sub 'arn:aws:iam::${Consumer}:root'", "!Sub 'arn:aws:iam::${AWS::AccountId}:root'")
    assert "DP310" not in flagged(lint(tmp_path, "own.yaml", own.replace("ACCOUNT", "444455556666")))


# 9. DP302 with GetAtt -------------------------------------------------------------------------
TLS = """
    AWSTemplateFormatVersion: '2010-09-09'
    Resources:
      Bucket:
        Type: AWS::S3::Bucket
      Policy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Bucket
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Deny
                Principal: '*'
                Action: 's3:*'
                Resource: RESOURCES
                Condition: {Bool: {aws:SecureTransport: 'false'}}
"""


def test_tls_deny_on_bucket_and_objects(tmp_path):
    assert flagged(lint(tmp_path, "ok.yaml", TLS.replace("RESOURCES", "[!GetAtt Bucket.Arn, !Sub '${Bucket.Arn}/*']"))) == set()


def test_tls_deny_on_objects_only(tmp_path):
    assert flagged(lint(tmp_path, "bad.yaml", TLS.replace("RESOURCES", "!Sub '${Bucket.Arn}/*'"))) == {"DP302"}


# Baseline, help and output --------------------------------------------------------------------
def test_baseline_survives_line_moves_and_reports_new_findings(tmp_path):
    text = IDENTITY.replace("STATEMENTS", '{"Effect": "Allow", "Action": "*", "Resource": "*"}')
    path = tmp_path / "p.json"
    path.write_text(text)
    baseline = tmp_path / "baseline.json"
    first = run(LintOptions(find_config=False, write_baseline=str(baseline)), [str(path)])
    assert first.findings and json.loads(baseline.read_text())["findings"]
    path.write_text("\n\n\n" + text)  # the statement moves three lines down
    moved = run(LintOptions(find_config=False, baseline=str(baseline)), [str(path)])
    assert moved.findings == [] and moved.baselined == len(first.findings)
    path.write_text(text.replace('"Resource": "*"}', '"Resource": "*"}, {"Effect": "Allow", "Action": "iam:*", '
                                                     '"Resource": "*"}'))
    changed = run(LintOptions(find_config=False, baseline=str(baseline)), [str(path)])
    assert changed.findings and all(f.baseline_state == "new" for f in changed.findings)
    assert all("iam:*" in f.message for f in changed.findings if f.rule == "LP101")
    assert changed.exit_code == 1 and moved.exit_code == 0

    from policygen.report import sarif

    data = json.loads(sarif.render(changed))
    states = {(r["ruleId"], r["baselineState"], bool(r.get("suppressions"))) for r in data["runs"][0]["results"]}
    assert ("LP101", "new", False) in states and ("LP101", "unchanged", True) in states
    import jsonschema

    schema_path = Path(__file__).parents[2] / ".cache" / "sarif" / "sarif-2.1.0.json"
    assert schema_path.exists(), "run `make test-deps` to fetch the SARIF schema"
    schema = json.loads(schema_path.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(data)


def test_sarif_points_at_the_rule_section_and_carries_the_fix(tmp_path):
    from policygen.report import sarif

    path = tmp_path / "p.json"
    path.write_text(IDENTITY.replace("STATEMENTS", '{"Effect": "Allow", "Action": "*", "Resource": "*"}'))
    data = json.loads(sarif.render(run(LintOptions(find_config=False), [str(path)])))
    rules = {r["id"]: r for r in data["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["LP101"]["helpUri"].endswith("docs/rules.md#lp101")
    result = data["runs"][0]["results"][0]
    assert result["properties"]["fix"] and "Fix:" in result["message"]["text"]


def test_every_rule_has_a_fix_hint_and_its_own_help():
    from click.testing import CliRunner

    from policygen.cli.main import cli

    assert all(r.fix_hint for r in RULES)
    out = CliRunner().invoke(cli, ["rules", "lp101"], standalone_mode=False)
    assert out.output.startswith("LP101: ") and "Fix: " in out.output and "#lp101" in out.output
    assert CliRunner().invoke(cli, ["rules", "XX999"], standalone_mode=False).exception is not None


def test_text_colour_follows_no_color_and_the_option(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from policygen.cli.main import cli

    path = tmp_path / "p.json"
    path.write_text(IDENTITY.replace("STATEMENTS", '{"Effect": "Allow", "Action": "*", "Resource": "*"}'))
    always = CliRunner().invoke(cli, ["lint", "--color", "always", str(path)], standalone_mode=False).output
    never = CliRunner().invoke(cli, ["lint", "--color", "never", str(path)], standalone_mode=False).output
    monkeypatch.setenv("NO_COLOR", "1")
    auto = CliRunner().invoke(cli, ["lint", str(path)], standalone_mode=False).output
    assert "\x1b[" in always and "\x1b[" not in never and "\x1b[" not in auto
    assert never.splitlines()[-1].startswith("1 file, 1 document checked: 1 error, 0 warnings, 0 infos; 0 suppressed (")
    assert "fix: " in never
