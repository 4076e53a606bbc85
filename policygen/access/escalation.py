"""Escalation proof (issue 11.3): can a principal use a known primitive to get more than its declared work?

Primitives (Rhino Security Labs' list as pmapper and cloudsplaining use it, plus the ML-platform ones):
- rewrite a policy: iam:CreatePolicyVersion / iam:SetDefaultPolicyVersion on any customer managed policy;
- rewrite a role: iam:PutRolePolicy, AttachRolePolicy, UpdateAssumeRolePolicy, PutRolePermissionsBoundary,
  DeleteRolePermissionsBoundary on any role (its own included);
- run code as another role: iam:PassRole together with a create of compute (SageMaker, Lambda, EC2, Glue,
  CodeBuild, CloudFormation);
- change the code of a function: lambda:UpdateFunctionCode of a function whose role (from the corpus's templates)
  is stronger than the caller; a function whose role is not in the corpus (any function a wildcard or `*` may
  reach, one named but not declared) is a *likely over-grant*: it may run as any role;
- become another role: sts:AssumeRole of a stronger role that no declared access path names
  (OrganizationAccountAccessRole included).

Each is asked of the access engine (SCPs, identity policies and, for sts:AssumeRole, the trust policy), with
probe resources in every account. A primitive that works only on a role that carries a permissions boundary
is "bounded" when the boundary allows no more than the role's own declared work and the principal can
neither remove nor replace it; anything else that works is an escalation. Each verdict has the severity the
severity model (docs/rules.md) gives it: an escalation is an error, a likely over-grant a warning, a bounded
path information.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from policygen.access.evaluate import Inputs, evaluate
from policygen.access.functions import stronger
from policygen.access.world import World, world_from
from policygen.policydoc.corpus import Corpus
from policygen.policydoc.document import IDENTITY, TRUST

POLICY_ACTIONS = ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion")
ROLE_ACTIONS = ("iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy",
                "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary")
LAMBDA_CODE = "lambda:UpdateFunctionCode"
# service principal -> (create action, resource probe suffix after arn:<p>:<service>:<region>:<account>:)
COMPUTE = {
    "sagemaker.amazonaws.com": [("sagemaker:CreateTrainingJob", "training-job/probe"),
                                ("sagemaker:CreateProcessingJob", "processing-job/probe"),
                                ("sagemaker:CreateModel", "model/probe"),
                                ("sagemaker:CreateNotebookInstance", "notebook-instance/probe")],
    "lambda.amazonaws.com": [("lambda:CreateFunction", "function:probe")],
    "ec2.amazonaws.com": [("ec2:RunInstances", "instance/*")],
    "glue.amazonaws.com": [("glue:CreateJob", "job/probe"), ("glue:CreateDevEndpoint", "devEndpoint/probe")],
    "codebuild.amazonaws.com": [("codebuild:CreateProject", "project/probe")],
    "cloudformation.amazonaws.com": [("cloudformation:CreateStack", "stack/probe/00000000-0000-0000-0000-000000000000")],
}
ORG_ACCESS_ROLE = "OrganizationAccountAccessRole"
PROBE_ROLE = "policygen-escalation-probe"
PROBE_BOUNDARY = "policygen-probe-boundary"
# Context a caller would add to get past tag and guardrail conditions when it launches compute.
LAUNCH_CONTEXT = {
    "sagemaker:VpcSubnets": ["subnet-0123456789abcdef0"], "sagemaker:VpcSecurityGroupIds": ["sg-0123456789abcdef0"],
    "sagemaker:VolumeKmsKeyArn": "arn:aws:kms:us-east-1:000000000000:key/probe",
}


SEVERITY = {"escalation": "error", "likely-over-grant": "warning", "bounded": "info"}
UNKNOWN_FUNCTION = "policygen-probe"  # a function the corpus does not declare, in every account


@dataclass(frozen=True)
class Path:
    principal: str
    primitive: str  # the action(s) that make the path
    target: str
    verdict: str  # "escalation" | "likely-over-grant" | "bounded"
    detail: str

    @property
    def severity(self) -> str:
        return SEVERITY[self.verdict]


class Engine:
    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.world: World = world_from(corpus)
        self.roles = {r["Arn"]: r for r in corpus.roles}
        self.partition = next((a.split(":")[1] for a in self.roles), "aws")
        self.region = self.world.facts.home_region or "us-east-1"
        self.identity = {(d.account_id, d.name): d for d in corpus.docs if d.kind == IDENTITY}
        self.identity.update({(d.account_id, d.iam_name): d for d in corpus.docs if d.kind == IDENTITY and d.iam_name})
        self.declared_assumes = {(a.principal, a.target) for a in self.world.facts.accesses or ()
                                 if a.level == "assume"}

    # -- asking the engine ------------------------------------------------------------
    def allowed(self, principal: str, action: str, resource: str, context: dict | None = None) -> bool:
        request = self.world.request(principal, action, resource, context or {})
        if request.resource_account is None:
            request = replace(request, resource_account=request.principal_account)
        inputs = self.world.inputs(request)
        if inputs.resource is not None and inputs.resource.kind == TRUST and not action.lower().startswith("sts:assumerole"):
            inputs = Inputs(inputs.identity, inputs.scp_levels, None, False)  # a trust policy guards only AssumeRole
        return evaluate(request, inputs).allowed

    def tags_context(self, principal: str) -> dict:
        tags = (self.roles.get(principal) or {}).get("Tags") or {}
        out = {f"aws:PrincipalTag/{k}": v for k, v in tags.items()}
        out |= {f"aws:RequestTag/{k}": v for k, v in tags.items()}
        if tags:
            out["aws:TagKeys"] = sorted(tags)
        return out

    # -- what a role may do -------------------------------------------------------------
    def work(self, role_arn: str) -> list[dict]:
        """The Allow statements of the role's own policies (its declared work)."""
        role = self.roles.get(role_arn) or {}
        out = []
        for name in role.get("Policies", []):
            doc = self.identity.get((role.get("AccountId"), name))
            out += [s.raw for s in doc.statements if s.effect == "Allow"] if doc else []
        return out

    def stronger(self, other: str, than: str) -> bool:
        # A role nobody here knows (OrganizationAccountAccessRole, the probe) counts as stronger.
        return stronger(self.world, other, than)

    def boundary_of(self, role_arn: str) -> tuple[str, list[dict]] | None:
        role = self.roles.get(role_arn) or {}
        name = role.get("PermissionsBoundary")
        if not name:
            return None
        name = str(name).rsplit("/", 1)[-1]  # an ARN (as templates write it) or the policy's name
        doc = self.identity.get((role.get("AccountId"), name))
        arn = f"arn:{self.partition}:iam::{role.get('AccountId')}:policy/{name}"
        return arn, ([s.raw for s in doc.statements if s.effect == "Allow"] if doc else [])

    def boundary_holds(self, principal: str, role_arn: str) -> str | None:
        """Why the role's boundary keeps it to its declared work against this principal, or None."""
        found = self.boundary_of(role_arn)
        if found is None:
            return None
        arn, allows = found
        work = self.work(role_arn)
        if not allows or any(s not in work for s in allows):
            return None
        account = role_arn.split(":")[4]
        other = f"arn:{self.partition}:iam::{account}:policy/{PROBE_BOUNDARY}"
        if self.allowed(principal, "iam:DeleteRolePermissionsBoundary", role_arn, {"iam:PermissionsBoundary": arn}):
            return None
        if self.allowed(principal, "iam:PutRolePermissionsBoundary", role_arn, {"iam:PermissionsBoundary": other}):
            return None
        for action in ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"):
            if self.allowed(principal, action, arn):
                return None
        return f"boundary {arn.rsplit('/', 1)[-1]} allows only the role's own work and {principal.rsplit('/', 1)[-1]} cannot remove or replace it"

    # -- probes ---------------------------------------------------------------------------
    def role_probes(self) -> list[str]:
        out = set(self.roles)
        for account_id in self.world.account_ids.values():
            out.add(f"arn:{self.partition}:iam::{account_id}:role/{ORG_ACCESS_ROLE}")
            out.add(f"arn:{self.partition}:iam::{account_id}:role/{PROBE_ROLE}")
        return sorted(out)

    def named_resources(self, principal: str) -> set[str]:
        """Concrete ARNs the principal's own statements name: probes beyond the generic ones."""
        out = set()
        for doc in self.world.principals[principal].identity:
            for statement in doc.statements:
                out |= {str(r) for r in statement.resources if "*" not in str(r) and str(r).startswith("arn:")}
        return out

    def paths_of(self, principal: str) -> list[Path]:
        out: list[Path] = []
        short = principal.rsplit("/", 1)[-1]
        roles = self.role_probes()
        accounts = set(self.world.account_ids.values()) | {a["AccountId"] for a in self.roles.values() if a.get("AccountId")}
        named = self.named_resources(principal)
        for account_id in sorted(accounts):
            policies = [f"arn:{self.partition}:iam::{account_id}:policy/{PROBE_BOUNDARY}"]
            if account_id == principal.split(":")[4]:
                policies += [r for r in named if ":policy/" in r]
            for policy in policies:
                for action in POLICY_ACTIONS:
                    if self.allowed(principal, action, policy):
                        out.append(Path(principal, action, policy, "escalation", f"{short} can rewrite managed policies"))
        out += self._function_paths(principal, sorted(accounts), named)
        for role in roles:
            bounded = None
            for action in ROLE_ACTIONS:
                if self.allowed(principal, action, role):
                    out.append(Path(principal, action, role, "escalation", f"{short} can rewrite {role} without a boundary"))
                    continue
                boundary = self.boundary_of(role)
                if boundary and self.allowed(principal, action, role, {"iam:PermissionsBoundary": boundary[0]}):
                    bounded = bounded if bounded is not None else self.boundary_holds(principal, role)
                    verdict = "bounded" if bounded else "escalation"
                    out.append(Path(principal, action, role, verdict, bounded or f"{role}'s boundary does not hold"))
            if role != principal:
                out += self._pass_paths(principal, role)
            if (role != principal and (principal, role) not in self.declared_assumes and self.stronger(role, principal)
                    and self.allowed(principal, "sts:AssumeRole", role)):
                out.append(Path(principal, "sts:AssumeRole", role, "escalation", f"{short} can assume a stronger role no access path declares"))
        return out

    def _function_paths(self, principal: str, accounts: list[str], named: set[str]) -> list[Path]:
        """Replacing a function's code runs code as its role: an escalation when that role is stronger than the
        caller; a likely over-grant when the corpus does not say which role (an undeclared function in any
        account, which `*` or a wildcard reaches, or one the caller's policy names but no template declares)."""
        out = []
        short = principal.rsplit("/", 1)[-1]
        for function, role in sorted(self.world.functions.items()):
            if (role != principal and self.stronger(role, principal)
                    and self.allowed(principal, LAMBDA_CODE, function)):
                out.append(Path(principal, LAMBDA_CODE, function, "escalation",
                                f"{short} can replace the code of a function that runs as the stronger {role.rsplit('/', 1)[-1]}"))
        unknown = [f"arn:{self.partition}:lambda:{self.region}:{a}:function:{UNKNOWN_FUNCTION}" for a in accounts]
        unknown += sorted(r for r in named if ":function:" in r and r not in self.world.functions)
        for function in unknown:
            if self.allowed(principal, LAMBDA_CODE, function):
                out.append(Path(principal, LAMBDA_CODE, function, "likely-over-grant",
                                f"{short} can replace the code of a function whose role is not in the corpus"))
        return out

    def _pass_paths(self, principal: str, role: str) -> list[Path]:
        out = []
        account_id = role.split(":")[4]
        for service, creates in COMPUTE.items():
            if not self.allowed(principal, "iam:PassRole", role, {"iam:PassedToService": service}):
                continue
            for action, suffix in creates:
                resource = f"arn:{self.partition}:{action.split(':')[0]}:{self.region}:{account_id}:{suffix}"
                if not self.allowed(principal, action, resource, LAUNCH_CONTEXT | self.tags_context(principal)):
                    continue
                if not self.stronger(role, principal):
                    continue
                holds = self.boundary_holds(principal, role)
                out.append(Path(principal, f"iam:PassRole + {action}", role, "bounded" if holds else "escalation",
                                holds or f"{principal.rsplit('/', 1)[-1]} can run {service} compute as a stronger role"))
        return out

    def paths(self) -> list[Path]:
        return [p for principal in sorted(self.world.principals) for p in self.paths_of(principal)]


def escalation_paths(corpus: Corpus) -> list[Path]:
    return Engine(corpus).paths()
