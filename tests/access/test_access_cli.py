"""explain, graph and diff from the command line."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REFERENCE, ROOT

OUT = ROOT / "out"
MODEL_ROLE = "arn:aws:iam::666666666666:role/SageMakerModelExecutionRole"
MODELS = "arn:aws:s3:::sm-mlops-dev-eu-west-1-models/model.tar.gz"
PROD_S3_ENDPOINT = "vpce-03d9ed0a1ba396ff5"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "policygen", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_explain_allows_the_declared_path_and_names_both_sides():
    result = run("explain", "--principal", MODEL_ROLE, "--action", "s3:GetObject", "--resource", MODELS,
                 "--vpce", PROD_S3_ENDPOINT, "--format", "json", OUT)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["decision"] == "allow"
    layers = {layer["layer"]: layer for layer in report["layers"]}
    assert {"scp", "identity", "resource"} <= set(layers)
    # What deploys the model role is the StackSet in the shared account's template (its body, per target).
    identity = layers["identity"]["statements"][0]
    assert identity["file"].endswith("templates/shared.yaml") and identity["sid"] == "ReadObjectsModels"
    assert layers["resource"]["statements"][0]["sid"] == "CrossAccountReadObjects"


def test_explain_names_the_deny_from_outside_the_endpoint():
    result = run("explain", "--principal", MODEL_ROLE, "--action", "s3:GetObject", "--resource", MODELS, REFERENCE)
    assert result.returncode == 1
    assert result.stdout.startswith("EXPLICIT-DENY")
    assert "DenyNoVPC" in result.stdout and "from " in result.stdout  # the org-file line behind it


def test_explain_bad_context_exits_2():
    result = run("explain", "--principal", MODEL_ROLE, "--action", "s3:GetObject", "--resource", MODELS,
                 "--context", "novalue", OUT)
    assert result.returncode == 2 and "KEY=VALUE" in result.stderr and "Traceback" not in result.stderr


def test_graph_lists_cross_account_edges():
    result = run("graph", "--format", "json", OUT)
    edges = json.loads(result.stdout)["edges"]
    assert any(e["principal"] == MODEL_ROLE and e["resource"].startswith("arn:aws:s3:::sm-mlops-dev-eu-west-1-models")
               and e["level"] == "read" and e["network"] == PROD_S3_ENDPOINT for e in edges)
    # the vpc_only bucket is not readable from outside an endpoint
    assert not any(e["principal"] == MODEL_ROLE and "sm-mlops-dev-eu-west-1-models" in e["resource"]
                   and e["network"] == "outside any VPC endpoint" for e in edges)


def _with_team2_reading_models(tmp_path):
    text = REFERENCE.read_text()
    start = text.index("  team2:")
    at = text.index("read: [data]", start)
    head = tmp_path / "org.yaml"
    head.write_text(text[:at] + "read: [data, models]" + text[at + len("read: [data]"):])
    return head


def test_diff_reports_new_access_and_gates_on_it(tmp_path):
    head = _with_team2_reading_models(tmp_path)
    result = run("diff", REFERENCE, head, "--format", "json", "--fail-on-new-access")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    granted = {(e["principal"].rsplit("/", 1)[1], e["level"], e["resource"].rsplit(":", 1)[1]) for e in report["granted"]}
    assert {("SageMakerStudioExecutionRole-team2", "read", "sm-mlops-dev-eu-west-1-models"),
            ("SageMakerStudioExecutionRole-team2", "read", "key/models-key")} == granted
    assert report["removed"] == []
    back = run("diff", head, REFERENCE, "--format", "json", "--fail-on-new-access")
    assert back.returncode == 0 and json.loads(back.stdout)["granted"] == [] and json.loads(back.stdout)["removed"]


def test_diff_of_git_revisions(tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "org.yaml").write_text(REFERENCE.read_text())
    git("add", ".")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "base")
    _with_team2_reading_models(tmp_path)
    result = run("diff", "HEAD:org.yaml", "org.yaml", "--fail-on-new-access", cwd=tmp_path)
    assert result.returncode == 1 and "SageMakerStudioExecutionRole-team2" in result.stdout
    missing = run("diff", "nosuchrev:org.yaml", "org.yaml", cwd=tmp_path)
    assert missing.returncode == 2 and "git cannot show it" in missing.stderr


EXECUTION_ROLE = "arn:aws:iam::666666666666:role/AWSCloudFormationStackSetExecutionRole"
TEAM1 = "arn:aws:iam::444444444444:role/SageMakerStudioExecutionRole-team1"
JOB = "arn:aws:sagemaker:eu-west-1:444444444444:training-job/j1"


def test_explain_passrole_is_not_judged_by_the_trust_policy():
    """iam:PassRole on a role: AWS reads no trust policy (it is the resource policy only for sts:AssumeRole*)."""
    result = run("explain", "--principal", EXECUTION_ROLE, "--action", "iam:PassRole", "--resource", MODEL_ROLE,
                 "--context", "iam:PassedToService=sagemaker.amazonaws.com", "--format", "json", OUT)
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["decision"] == "allow" and "trust" not in {layer["layer"] for layer in report["layers"]}
    denied = run("explain", "--principal", EXECUTION_ROLE, "--action", "iam:PassRole", "--resource", MODEL_ROLE,
                 "--context", "iam:PassedToService=lambda.amazonaws.com", OUT)
    assert denied.returncode == 1 and "iam:PassedToService" in denied.stdout  # the condition that failed


def test_explain_names_each_scp_level():
    result = run("explain", "--principal", EXECUTION_ROLE, "--action", "iam:PassRole", "--resource", MODEL_ROLE,
                 "--context", "iam:PassedToService=sagemaker.amazonaws.com", OUT)
    assert "root: allow" in result.stdout
    assert "OU ml-prod (ou-ab12-22222222): allow" in result.stdout
    assert "account prod (666666666666): allow" in result.stdout


def test_explain_uses_the_principals_tags_from_the_build():
    own = run("explain", "--principal", TEAM1, "--action", "sagemaker:StopTrainingJob", "--resource", JOB,
              "--context", "sagemaker:ResourceTag/Team=team1", OUT)
    assert own.returncode == 0 and "Team=team1" in own.stdout
    other = run("explain", "--principal", TEAM1, "--action", "sagemaker:StopTrainingJob", "--resource", JOB,
                "--context", "sagemaker:ResourceTag/Team=team2", OUT)
    assert other.returncode == 1
    assert "not applied (identity): Allow" in other.stdout and "sagemaker:ResourceTag/Team" in other.stdout
    assert "= team1 (the request has team2)" in other.stdout


def test_explain_refuses_a_principal_that_is_not_an_arn():
    result = run("explain", "--principal", "SageMakerModelExecutonRole", "--action", "s3:GetObject",
                 "--resource", MODELS, OUT)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "not an ARN" in result.stderr and "role/SageMakerModelExecutionRole" in result.stderr


def test_explain_flags_an_unknown_action():
    result = run("explain", "--principal", MODEL_ROLE, "--action", "s3:GetObjekt", "--resource", MODELS, OUT)
    assert result.returncode == 2
    assert "unknown action s3:GetObjekt; did you mean s3:GetObject" in result.stderr


def test_explain_points_to_the_accounts_endpoint():
    result = run("explain", "--principal", MODEL_ROLE, "--action", "s3:GetObject", "--resource", MODELS, OUT)
    assert result.returncode == 1 and f"--vpce {PROD_S3_ENDPOINT}" in result.stdout
