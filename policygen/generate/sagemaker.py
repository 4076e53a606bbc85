"""Model package groups and their resource policies (seed 001)."""

from __future__ import annotations

from policygen.generate import actions as A
from policygen.generate.arns import Arns, logical_id
from policygen.generate.emit import CfnResource, Document, Emission
from policygen.generate.plan.model import Plan
from policygen.generate.plan.registry import groups_by_account
from policygen.generate.resource_grants import allow_statements
from policygen.model.policy import PolicyDocument
from policygen.model.kinds import MODEL_PACKAGE_GROUP


def generate_model_package_groups(arns: Arns, plan: Plan) -> Emission:
    out = Emission()
    org = arns.org
    if org.model_registry is None:
        return out
    accesses = plan.accesses_to("model-package-group")
    for account, groups in groups_by_account(org).items():
        for name in groups:
            group = org.model_registry.groups[name]
            policy = PolicyDocument()
            for st in allow_statements(arns, accesses.get((account, name), []), "CrossAccount", [
                ("Group", lambda lvl: A.upto(A.MODEL_PACKAGE_GROUP, lvl), (arns.model_package_group(account, name),)),
                ("Packages", lambda lvl: A.upto(A.MODEL_PACKAGE, lvl), (arns.model_packages(account, name),)),
            ], reason="package versions are numbered at creation; the grant covers this group's packages"):
                policy.add(st)
            properties = {
                "ModelPackageGroupName": name,
                "ModelPackageGroupDescription": f"policygen model registry group {name} ({org.model_registry.pattern} pattern)",
            }
            if policy.statements:
                properties["ModelPackageGroupPolicy"] = policy.to_json()
                out.documents.append(Document(MODEL_PACKAGE_GROUP, account, name, policy, group.span))
            out.resources.append(CfnResource(account, logical_id("model", "package", "group", name),
                                             "AWS::SageMaker::ModelPackageGroup", properties, group.span,
                                             comment=f"model package group {name}"))
    return out
