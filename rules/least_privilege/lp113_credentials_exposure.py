from policygen.lint.actions import grants
from policygen.policydoc.document import IDENTITY
from policygen.lint.rule import Rule, hit

CREDENTIAL_ACTIONS = ("iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
                      "iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential",
                      "sts:GetFederationToken", "iam:UploadSSHPublicKey")


class CredentialsExposure(Rule):
    """The policy allows creating or resetting long-lived credentials.

    **Anti-pattern**: `iam:CreateAccessKey` or `iam:CreateLoginProfile` in a workload role. Whoever
    controls the workload can mint credentials for IAM users that outlive the session and the role.

    **Best practice**: ML workloads need no long-lived credentials; keep these actions to
    identity administrators, on named users.
    """

    id = "LP113"
    severity = "warning"
    fix = 'Remove the credential-creating actions; workloads use roles, not access keys or login profiles.'
    summary = "Actions that create long-lived credentials"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles"
    kinds = frozenset({IDENTITY})

    def check_statement(self, statement, doc, ctx):
        if not statement.allows or "*" in statement.actions:
            return
        found = [name for name in CREDENTIAL_ACTIONS if grants(statement, ctx.catalogue, name)]
        if found:
            yield hit(statement, f"creates long-lived credentials: {', '.join(found)}", key="Action")


RULE = CredentialsExposure()
