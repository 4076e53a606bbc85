"""Organization in, rendered artifacts out: plan, generate every kind, render, index."""

from __future__ import annotations

from policygen.errors import BuildError
from policygen.generate.arns import Arns
from policygen.generate.ecr import generate_repositories
from policygen.generate.emit import STACKSET_SCOPE, Emission
from policygen.generate.events import generate_event_buses
from policygen.generate.facts import resource_declared
from policygen.generate.iam import generate_roles
from policygen.generate.kms import generate_keys
from policygen.generate.plan import Plan, build_plan
from policygen.generate.quotas import LIMITS, size
from policygen.generate.ram import generate_shares
from policygen.generate.render import json_bytes, render_template
from policygen.generate.s3 import generate_buckets
from policygen.generate.sagemaker import generate_model_package_groups
from policygen.generate.scp import generate_scps
from policygen.generate.stacksets import stackset_resource, stackset_resources, targets_text
from policygen.model import names
from policygen.model.artifact import Artifact, StatementOrigin
from policygen.model.org import Org
from policygen.model.kinds import ROLE, SCP, SHARE, STACKSET, TEMPLATE
from policygen.progress import track


def emit_all(org: Org, plan: Plan) -> Emission:
    arns = Arns(org, plan.compact)
    out = Emission()
    for part in (
        generate_roles(arns, plan),
        generate_buckets(arns, plan),
        generate_keys(arns, plan),
        generate_repositories(arns, plan),
        generate_model_package_groups(arns, plan),
        generate_event_buses(arns, plan),
        generate_shares(arns),
        generate_scps(arns),
    ):
        out.extend(part)
    return out


def compile_org(org: Org, source_name: str, plan: Plan | None = None) -> list[Artifact]:
    """Every artifact of the build, sorted by path. Pure: reads and writes no file."""
    plan = plan or build_plan(org)
    emission = emit_all(org, plan)
    arns = Arns(org, plan.compact)
    artifacts: list[Artifact] = []

    for doc in track(emission.documents, "checking policies"):
        account = doc.account if doc.kind != SCP else org.organization.management_account
        data = doc.policy.to_json()
        limit = LIMITS.get(doc.kind)
        if limit and size(data) > limit:
            raise BuildError(f"{doc.kind} {doc.name} is {size(data)} characters; the quota is {limit}", doc.source)
        folder = "scps" if doc.kind == SCP else f"policies/{account}/{doc.kind}"
        artifacts.append(Artifact(
            path=f"{folder}/{doc.name}.json", kind=doc.kind, account=account, account_id=org.accounts[account].id,
            name=doc.name, content=json_bytes(data), source_line=doc.source.line, data=data,
            statements=tuple(StatementOrigin(s.sid, s.source.line if s.source else None, s.reason)
                             for s in doc.policy.normalised()),
            declared=resource_declared(org, arns, doc.kind, doc.name, account),
        ))
    for f in emission.files:
        folder = {ROLE: "roles", SHARE: "shares"}[f.kind]
        artifacts.append(Artifact(
            path=f"{folder}/{f.account}/{f.name}.json", kind=f.kind, account=f.account,
            account_id=org.accounts[f.account].id, name=f.name, content=json_bytes(f.data),
            source_line=f.source.line, data=f.data,
        ))

    by_scope: dict[str, list] = {}
    for res in emission.resources:
        by_scope.setdefault(res.scope, []).append(res)
    stackset_parts = [r for scope, rs in by_scope.items() if scope.startswith(STACKSET_SCOPE + ":") for r in rs]
    d = org.deployment
    if d is not None:
        generic = list(stackset_resources(arns, stackset_parts).values())
        body = render_template("stackset.yaml.j2", generic, source=source_name, name=names.MODEL_DEPLOYMENT_STACKSET,
                               admin=d.stackset_admin, targets=[targets_text(arns)],
                               description=f"policygen: SageMaker model execution role for models from {d.source}")
        artifacts.append(Artifact(
            path=f"stacksets/{names.MODEL_DEPLOYMENT_STACKSET}.yaml", kind=STACKSET, account=d.stackset_admin,
            account_id=org.accounts[d.stackset_admin].id, name=names.MODEL_DEPLOYMENT_STACKSET,
            content=body.encode(), source_line=d.span.line,
        ))
        by_scope.setdefault(d.stackset_admin, []).append(stackset_resource(arns, body))

    for account in track(sorted(org.accounts), "rendering account templates"):
        resources = by_scope.get(account, [])
        if not resources:
            continue
        acct = org.accounts[account]
        text = render_template("account.yaml.j2", resources, source=source_name, account=acct, region=arns.region,
                               description=f"policygen: IAM and resource policies of account {account} ({acct.id})")
        artifacts.append(Artifact(
            path=f"templates/{account}.yaml", kind=TEMPLATE, account=account, account_id=acct.id,
            name=account, content=text.encode(), source_line=acct.span.line,
        ))
    artifacts.sort(key=lambda a: a.path)
    seen = set()
    for a in artifacts:
        if a.path in seen:
            raise BuildError(f"two artifacts would be written to {a.path}")
        seen.add(a.path)
    return artifacts
