"""Point 3 of issue 11: no generated principal can escalate through a known primitive, except the bounded
deployment roles, whose boundary the proof checks; a hand-written self-editing role is caught."""

from __future__ import annotations

from policygen.access.escalation import Engine, escalation_paths
from policygen.ingest.collect import collect
from policygen.policydoc.document import PolicyDoc
from tests.conftest import ROOT

OUT = str(ROOT / "out")
FIXTURE = str(ROOT / "tests" / "fixtures" / "rules" / "LP117" / "fail.yaml")
EXEC = "AWSCloudFormationStackSetExecutionRole"


def test_reference_platform_has_no_escalation_only_bounded_deployment_roles():
    paths = escalation_paths(collect([OUT]))
    assert [p for p in paths if p.verdict == "escalation"] == []
    bounded = {(p.principal.rsplit("/", 1)[-1], p.target.rsplit("/", 1)[-1]) for p in paths}
    assert bounded == {(EXEC, "SageMakerModelExecutionRole")}
    primitives = {p.primitive for p in paths}
    assert {"iam:PutRolePolicy", "iam:PassRole + sagemaker:CreateModel"} <= primitives
    assert len({p.principal for p in paths}) == 2  # the execution role in each deployment target


def test_a_hand_written_role_that_edits_itself_is_an_escalation():
    paths = escalation_paths(collect([FIXTURE]))
    own = [p for p in paths if p.primitive == "iam:PutRolePolicy" and p.target == p.principal]
    assert own and all(p.verdict == "escalation" for p in own)
    assert any(p.primitive == "iam:CreatePolicyVersion" for p in paths)


def _without(corpus, name: str, sid: str):
    docs = []
    for doc in corpus.docs:
        if name in (doc.name, doc.iam_name) and doc.kind == "identity-policy":
            body = {**doc.body, "Statement": [s for s in doc.body["Statement"] if s.get("Sid") != sid]}
            doc = PolicyDoc(doc.kind, body, doc.location, name=doc.name, account_id=doc.account_id, iam_name=doc.iam_name)
        docs.append(doc)
    corpus.docs = docs
    return corpus


def test_the_boundary_is_checked_not_assumed():
    """A deployment role that may also remove the boundary escapes it: the proof says so."""
    corpus = _without(collect([OUT]), f"{EXEC}-policy", "DenyRemovingModelExecutionRoleBoundary")
    docs = []
    for doc in corpus.docs:
        if f"{EXEC}-policy" in (doc.name, doc.iam_name) and doc.kind == "identity-policy":
            body = {**doc.body, "Statement": [
                {**s, "Action": s["Action"] + ["iam:DeleteRolePermissionsBoundary"]}
                if s.get("Sid") == "ManageModelExecutionRoleWithinBoundary" else s for s in doc.body["Statement"]]}
            doc = PolicyDoc(doc.kind, body, doc.location, name=doc.name, account_id=doc.account_id, iam_name=doc.iam_name)
        docs.append(doc)
    corpus.docs = docs
    paths = Engine(corpus).paths()
    escalations = [p for p in paths if p.verdict == "escalation"]
    assert escalations and all(p.target.endswith("/SageMakerModelExecutionRole") for p in escalations)


def test_passing_a_stronger_role_is_an_escalation():
    """A team that could pass another team's (stronger) role to SageMaker could run its jobs with it."""
    corpus = collect([OUT])
    docs = []
    for doc in corpus.docs:
        if "SageMakerStudioExecutionRole-team2-policy-1" in (doc.name, doc.iam_name) and doc.kind == "identity-policy":
            body = {**doc.body, "Statement": [
                {**s, "Resource": "arn:aws:iam::444444444444:role/SageMakerStudioExecutionRole-*"}
                if s.get("Sid") == "PassOwnRoleToSageMaker" else s for s in doc.body["Statement"]]}
            doc = PolicyDoc(doc.kind, body, doc.location, name=doc.name, account_id=doc.account_id, iam_name=doc.iam_name)
        docs.append(doc)
    corpus.docs = docs
    paths = Engine(corpus).paths()
    assert any(p.verdict == "escalation" and p.primitive.startswith("iam:PassRole")
               and p.target.endswith("team1") for p in paths)


from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.property.orgs import organizations  # noqa: E402


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(organizations(max_accounts=6))
def test_random_organizations_have_no_escalation(org):
    import yaml

    from policygen.ingest.org_file import read_org
    from policygen.policydoc.corpus import Corpus

    corpus = Corpus()
    read_org(yaml.safe_dump(org, sort_keys=False), "random-org.yaml", corpus)
    paths = Engine(corpus).paths()
    assert [p for p in paths if p.verdict == "escalation"] == []
    assert all(p.principal.endswith(f"/{EXEC}") and p.target.endswith("/SageMakerModelExecutionRole") for p in paths)


PASS_FIXTURE = str(ROOT / "tests" / "fixtures" / "rules" / "LP117" / "pass.yaml")


def test_replacing_the_code_of_a_function_with_a_stronger_role_is_an_escalation():
    paths = [p for p in escalation_paths(collect([FIXTURE])) if p.primitive == "lambda:UpdateFunctionCode"]
    assert [(p.target.rsplit(":", 1)[-1], p.verdict, p.severity) for p in paths] == [("rotate-keys", "escalation", "error")]


def test_replacing_the_code_of_a_function_with_a_weaker_role_is_nothing():
    corpus = collect([PASS_FIXTURE])
    engine = Engine(corpus)
    assert engine.world.functions == {"arn:aws:lambda:eu-west-1:111111111111:function:nightly-report":
                                      "arn:aws:iam::111111111111:role/nightly-report-role"}
    deployer = "arn:aws:iam::111111111111:role/function-deployer"
    assert engine.allowed(deployer, "lambda:UpdateFunctionCode", "arn:aws:lambda:eu-west-1:111111111111:function:nightly-report")
    assert [p for p in engine.paths_of(deployer) if p.primitive == "lambda:UpdateFunctionCode"] == []


def test_a_function_the_corpus_does_not_declare_is_a_likely_over_grant(tmp_path):
    """Code of any function (`*`): the role of a function nobody declared is unknown, a warning, not an error."""
    text = open(PASS_FIXTURE).read().replace(
        "Resource: arn:aws:lambda:eu-west-1:111111111111:function:nightly-report", "Resource: '*'")
    (tmp_path / "t.yaml").write_text(text)
    engine = Engine(collect([str(tmp_path / "t.yaml")]))
    paths = [p for p in engine.paths_of("arn:aws:iam::111111111111:role/function-deployer")
             if p.primitive == "lambda:UpdateFunctionCode"]
    assert paths and {(p.verdict, p.severity) for p in paths} == {("likely-over-grant", "warning")}
