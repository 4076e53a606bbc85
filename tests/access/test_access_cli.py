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
