from policygen.access.arn import account_of
from policygen.access.blame import blame, doc_place
from policygen.access.evaluate import evaluate
from policygen.lint.rule import CorpusRule, PairHit

PRINCIPAL_ARN_OPERATORS = ("ArnEquals", "ArnLike", "StringEquals", "StringLike")


class AssumeRoleMismatch(CorpusRule):
    """One side of a role assumption allows it and the other does not.

    **Anti-pattern**: a role's identity policy allows `sts:AssumeRole` on a role whose trust policy
    names someone else; or a trust policy names a role in another account whose own policy never
    allows the call. The pipeline fails at the hop, and the stale half is left as an open door
    for whoever is granted the other half next.

    **Best practice**: write both halves from one declaration: the caller's `sts:AssumeRole` on the
    role ARN, and the trust policy naming the caller (account root plus `aws:PrincipalArn`).
    """

    id = "XA202"
    severity = "error"
    summary = "sts:AssumeRole allowed on one side only"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html"

    def check_world(self, world, ctx):
        seen = set()
        for caller, principal in sorted(world.principals.items()):
            for doc in principal.identity:
                for statement in doc.statements:
                    if not statement.allows or not any(a.lower() in ("sts:assumerole", "sts:*", "*") for a in statement.actions):
                        continue
                    for target in statement.resources:
                        if target in world.principals and (caller, target) not in seen:
                            seen.add((caller, target))
                            yield from self._check(world, caller, target)
        for target, role in sorted(world.principals.items()):
            for statement in role.trust.statements if role.trust else []:
                for caller in _named_callers(statement):
                    if caller in world.principals and (caller, target) not in seen and account_of(caller) != account_of(target):
                        seen.add((caller, target))
                        yield from self._check(world, caller, target)

    def _check(self, world, caller, target):
        request = world.request(caller, "sts:AssumeRole", target)
        inputs = world.inputs(request)
        decision = evaluate(request, inputs)
        if decision.allowed:
            return
        at, others = blame(decision, inputs)
        trust = world.principals[target].trust
        extra = [doc_place(trust)] if trust is not None else []
        yield PairHit(f"{caller} -> sts:AssumeRole -> {target} is half-granted: {decision.reason}", at, tuple(others + extra))


def _named_callers(statement) -> list[str]:
    named = [v for v in statement.principal_values("AWS") if ":role/" in v]
    for condition in statement.conditions:
        if condition.key.lower() == "aws:principalarn" and condition.base in PRINCIPAL_ARN_OPERATORS:
            named.extend(str(v) for v in condition.values if "*" not in str(v))
    return named


RULE = AssumeRoleMismatch()
