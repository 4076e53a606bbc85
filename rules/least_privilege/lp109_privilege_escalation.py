from policygen.policydoc.document import IDENTITY
from policygen.lint.rule import Hit, Rule

# Known escalation paths (Rhino Security Labs' list, as cloudsplaining and pmapper use it),
# plus the SageMaker ones that matter on an ML platform. An action counts only when granted
# on a wildcard of resources: PutRolePolicy on one named role (a StackSet execution role
# creating the role its template declares) is a reviewed decision, not an open path.
PATHS = {
    "CreatePolicyVersion": ("iam:CreatePolicyVersion",),
    "SetDefaultPolicyVersion": ("iam:SetDefaultPolicyVersion",),
    "AttachRolePolicy": ("iam:AttachRolePolicy",),
    "AttachUserPolicy": ("iam:AttachUserPolicy",),
    "AttachGroupPolicy": ("iam:AttachGroupPolicy",),
    "PutRolePolicy": ("iam:PutRolePolicy",),
    "PutUserPolicy": ("iam:PutUserPolicy",),
    "PutGroupPolicy": ("iam:PutGroupPolicy",),
    "AddUserToGroup": ("iam:AddUserToGroup",),
    "UpdateAssumeRolePolicy": ("iam:UpdateAssumeRolePolicy", "sts:AssumeRole"),
    "CreateAccessKey": ("iam:CreateAccessKey",),
    "CreateLoginProfile": ("iam:CreateLoginProfile",),
    "UpdateLoginProfile": ("iam:UpdateLoginProfile",),
    "EditLambdaCode": ("lambda:UpdateFunctionCode",),
    "UpdateGlueDevEndpoint": ("glue:UpdateDevEndpoint",),
    "PassRoleToEC2": ("iam:PassRole", "ec2:RunInstances"),
    "PassRoleToLambda": ("iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"),
    "PassRoleToGlue": ("iam:PassRole", "glue:CreateDevEndpoint"),
    "PassRoleToCloudFormation": ("iam:PassRole", "cloudformation:CreateStack"),
    "PassRoleToDataPipeline": ("iam:PassRole", "datapipeline:CreatePipeline"),
    "PassRoleToSageMakerNotebook": ("iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"),
    "PassRoleToSageMakerTraining": ("iam:PassRole", "sagemaker:CreateTrainingJob"),
    "PassRoleToSageMakerProcessing": ("iam:PassRole", "sagemaker:CreateProcessingJob"),
}


class PrivilegeEscalation(Rule):
    """The policy allows a known privilege-escalation combination of actions.

    **Anti-pattern**: `iam:CreatePolicyVersion`, `iam:PutRolePolicy`, or `iam:PassRole` on any role
    together with `sagemaker:CreateTrainingJob`: each lets the holder obtain permissions the policy
    does not grant directly, for example by running a job as a more privileged role.

    **Best practice**: keep these actions to administrative roles; restrict PassRole to named roles
    with `iam:PassedToService`.
    """

    id = "LP109"
    severity = "error"
    fix = 'Grant these actions only on named resources, to administrative roles with a permissions boundary.'
    supersedes = ('LP102', 'LP103', 'LP114')
    summary = "Known privilege-escalation action set"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"
    kinds = frozenset({IDENTITY})

    def check(self, doc, ctx):
        granted: dict[str, object] = {}  # lower-case action -> first statement that allows it
        for statement in doc.statements:
            if not statement.ok or not statement.allows:
                continue
            if not any("*" in r.split(":", 5)[-1] for r in statement.resources):
                continue
            for value in statement.actions:
                for name in ctx.catalogue.expand(value):
                    granted.setdefault(name.lower(), statement)
        for path, needed in PATHS.items():
            if all(action.lower() in granted for action in needed):
                first = granted[needed[0].lower()]
                shown = " + ".join(needed) + " on wildcard resources"
                yield Hit(f"privilege escalation ({path}): {shown}", first.line, first)


RULE = PrivilegeEscalation()
