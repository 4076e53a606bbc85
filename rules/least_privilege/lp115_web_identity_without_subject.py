from policygen.lint.conditions import narrows
from policygen.policydoc.document import TRUST
from policygen.lint.rule import Rule, hit


class WebIdentityWithoutSubject(Rule):
    """A trust for AssumeRoleWithWebIdentity does not pin the token's subject and audience.

    **Anti-pattern**: trusting `token.actions.githubusercontent.com` with only an `aud` condition.
    Every repository of every GitHub organisation can then assume the role from its workflows.

    **Best practice**: require both `<provider>:aud` and `<provider>:sub`, the latter naming your
    repository and branch or environment (`repo:org/repo:ref:refs/heads/main`).
    """

    id = "LP115"
    severity = "error"
    summary = "Web-identity trust without sub and aud conditions"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html"
    kinds = frozenset({TRUST})

    def check_statement(self, statement, doc, ctx):
        if not statement.allows or not any(a.lower() == "sts:assumerolewithwebidentity" for a in statement.actions):
            return
        providers = statement.principal_values("Federated")
        for provider in providers:
            host = provider.split("oidc-provider/")[-1]
            for claim in ("sub", "aud"):
                key = f"{host}:{claim}".lower()
                if not any(narrows(c, {key}) for c in statement.conditions):
                    yield hit(statement, f"no condition on '{host}:{claim}': any token from {host} is accepted", node=provider)


RULE = WebIdentityWithoutSubject()
