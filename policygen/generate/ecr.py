"""ECR repositories and repository policies: pull for declared cross-account principals only."""

from __future__ import annotations

from policygen.generate import actions as A
from policygen.generate.arns import Arns, logical_id
from policygen.generate.emit import CfnResource, Document, Emission
from policygen.generate.plan.model import Plan
from policygen.generate.resource_grants import allow_statements
from policygen.model.policy import PolicyDocument
from policygen.model.kinds import REPOSITORY


def generate_repositories(arns: Arns, plan: Plan) -> Emission:
    out = Emission()
    accesses = plan.accesses_to("repository")
    for repo in sorted(arns.org.repositories.values(), key=lambda r: r.name):
        policy = PolicyDocument()
        # ECR repository policies apply to their own repository and take no Resource element.
        for st in allow_statements(arns, accesses.get((repo.account, repo.name), []), "CrossAccount",
                                   [("Images", lambda lvl: A.upto(A.ECR, lvl), ())]):
            policy.add(st)
        properties = {
            "RepositoryName": repo.name,
            "ImageTagMutability": "IMMUTABLE" if repo.immutable_tags else "MUTABLE",
            "ImageScanningConfiguration": {"ScanOnPush": True},
            # KMS: the AWS managed key aws/ecr (ECR creates the grant itself); AES256 stays the default.
            "EncryptionConfiguration": {"EncryptionType": repo.encryption},
        }
        if policy.statements:
            properties["RepositoryPolicyText"] = policy.to_json()
            out.documents.append(Document(REPOSITORY, repo.account, repo.name, policy, repo.span))
        out.resources.append(CfnResource(repo.account, logical_id("repository", repo.name), "AWS::ECR::Repository",
                                         properties, repo.span, comment=f"repository {repo.name}", retain=True))
    return out
