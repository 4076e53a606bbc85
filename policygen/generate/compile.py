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
from policygen.generate import quotas
from policygen.generate.quotas import LIMITS, size
from policygen.generate.ram import generate_shares
from policygen.generate.render import json_bytes, render_template
from policygen.generate.s3 import generate_buckets
from policygen.generate.sagemaker import generate_model_package_groups
from policygen.generate.scp import generate_scps
from policygen.generate.stack_split import part_name, split_resources
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


def compile_org(org: Org, source_name: str, plan: Plan | None = None, warnings: list[str] | None = None) -> list[Artifact]:
    """Every artifact of the build, sorted by path. Pure: reads and writes no file. `warnings` gets the
    templates past a CloudFormation quota that deploy only with care (from S3, or split)."""
    plan = plan or build_plan(org)
    emission = emit_all(org, plan)
    arns = Arns(org, plan.compact)
    by_scope: dict[str, list] = {}
    for res in emission.resources:
        by_scope.setdefault(res.scope, []).append(res)
    artifacts = (_policy_artifacts(org, arns, emission) + _data_artifacts(org, emission)
                 + _stackset_artifacts(org, arns, by_scope, source_name) + _template_artifacts(org, arns, by_scope, source_name, warnings))
    artifacts.sort(key=lambda a: a.path)
    seen = set()
    for a in artifacts:
        if a.path in seen:
            raise BuildError(f"two artifacts would be written to {a.path}")
        seen.add(a.path)
    return artifacts


def _policy_artifacts(org: Org, arns: Arns, emission: Emission) -> list[Artifact]:
    out = []
    for doc in track(emission.documents, "checking policies"):
        account = doc.account if doc.kind != SCP else org.organization.management_account
        data = doc.policy.to_json()
        limit = LIMITS.get(doc.kind)
        if limit and size(data) > limit:
            raise BuildError(f"{doc.kind} {doc.name} is {size(data)} characters; the quota is {limit}", doc.source)
        folder = "scps" if doc.kind == SCP else f"policies/{account}/{doc.kind}"
        out.append(Artifact(
            path=f"{folder}/{doc.name}.json", kind=doc.kind, account=account, account_id=org.accounts[account].id,
            name=doc.name, content=json_bytes(data), source_line=doc.source.line, data=data,
            statements=tuple(StatementOrigin(s.sid, s.source.line if s.source else None, s.reason)
                             for s in doc.policy.normalised()),
            declared=resource_declared(org, arns, doc.kind, doc.name, account),
        ))
    return out


DATA_FOLDERS = {ROLE: "roles", SHARE: "shares"}


def _data_artifacts(org: Org, emission: Emission) -> list[Artifact]:
    return [Artifact(
        path=f"{DATA_FOLDERS[f.kind]}/{f.account}/{f.name}.json", kind=f.kind, account=f.account,
        account_id=org.accounts[f.account].id, name=f.name, content=json_bytes(f.data), source_line=f.source.line, data=f.data,
    ) for f in emission.files]


def _stackset_artifacts(org: Org, arns: Arns, by_scope: dict[str, list], source_name: str) -> list[Artifact]:
    """The StackSet body, and the StackSet resource that carries it, added to the admin account's template."""
    d = org.deployment
    if d is None:
        return []
    parts = [r for scope, rs in by_scope.items() if scope.startswith(STACKSET_SCOPE + ":") for r in rs]
    generic = list(stackset_resources(arns, parts).values())
    body = render_template("stackset.yaml.j2", generic, source=source_name, name=names.MODEL_DEPLOYMENT_STACKSET,
                           admin=d.stackset_admin, targets=[targets_text(arns)],
                           description=f"policygen: SageMaker model execution role for models from {d.source}")
    by_scope.setdefault(d.stackset_admin, []).append(stackset_resource(arns, body))
    return [Artifact(
        path=f"stacksets/{names.MODEL_DEPLOYMENT_STACKSET}.yaml", kind=STACKSET, account=d.stackset_admin,
        account_id=org.accounts[d.stackset_admin].id, name=names.MODEL_DEPLOYMENT_STACKSET,
        content=body.encode(), source_line=d.span.line,
    )]


def _template_artifacts(org: Org, arns: Arns, by_scope: dict[str, list], source_name: str,
                        warnings: list[str] | None = None) -> list[Artifact]:
    """One template per account, or several where one would pass CloudFormation's 500 resources
    (generate/stack_split.py); `warnings` gets those past a quota that still deploy with care."""
    out = []
    warnings = [] if warnings is None else warnings
    for account in track(sorted(org.accounts), "rendering account templates"):
        resources = by_scope.get(account, [])
        if not resources:
            continue
        acct = org.accounts[account]
        # Where the template deploys, for a reader that has the templates but not the organization file.
        where = {"ou_id": org.organization.ous[acct.ou].id if acct.ou else None,
                 "endpoints": dict(sorted(acct.network.endpoints.items())) if acct.network else {}}
        parts = split_resources(resources)
        for index, part in enumerate(parts):
            name = part_name(account, index)
            what = f"account {account} ({acct.id})" + (f", part {index + 1} of {len(parts)}" if len(parts) > 1 else "")
            text = render_template("account.yaml.j2", part, source=source_name, account=acct, region=arns.region,
                                   description=f"policygen: IAM and resource policies of {what}", **where)
            over = quotas.template_quota(f"templates/{name}", len(text.encode()), len(part))
            if over is not None and over[0] == "error":  # it would not deploy; a warning is the build result's
                raise BuildError(over[1], acct.span)
            if over is not None:
                warnings.append(over[1])
            out.append(Artifact(
                path=f"templates/{name}", kind=TEMPLATE, account=account, account_id=acct.id,
                name=name.removesuffix(".yaml"), content=text.encode(), source_line=acct.span.line,
            ))
    return out
