from policygen.access.arn import account_of
from policygen.access.graph import ANONYMOUS
from policygen.lint.rule import CorpusRule, PairHit
from policygen.model.levels import declared_levels_covering



class UndeclaredAccess(CorpusRule):
    """A principal nobody declared can reach a resource from another account, or anonymously.

    **Anti-pattern**: a bucket statement for a reader role whose `aws:PrincipalArn` condition was
    dropped in a hand edit now admits every principal of that account; a `*` principal pinned only by
    `aws:SecureTransport` admits anyone. Each passes a per-policy linter.

    **Best practice**: every cross-account path is declared in the organization file; the access
    graph (all principals, including a stand-in for "any other principal of account X" and an
    anonymous caller) must contain nothing else. This is what IAM Access Analyzer's
    check-no-new-access does, offline.
    """

    id = "XA207"
    severity = "error"
    fix = 'Declare the access in the organization file, or remove the grant (or pin it with aws:PrincipalArn).'
    summary = "Cross-account or public access that nobody declared"
    url = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-checks-validating-policies.html"
    reads_graph = True

    def check_world(self, world, ctx):
        accesses = world.facts.accesses
        declared: dict[tuple[str, str], set[str]] = {}
        for access in accesses or ():
            declared.setdefault((access.principal, access.target), set()).add(access.level)
        reported = set()
        named = _named_accounts(world) if accesses is None else set()
        for edge in ctx.graph:
            if not (edge.cross_account or edge.principal == ANONYMOUS):
                continue
            anyone = edge.principal == ANONYMOUS or (edge.stand_in and edge.principal_account not in named)
            if accesses is None and not anyone:
                # No organization file: nothing was declared, so the templates' own grants are the intent, both
                # named principals and the "any other principal of account X" an account-root grant admits.
                # Only access by anyone at all (an account no document names gets in) stays undeclared.
                continue
            levels = declared.get((edge.principal, edge.resource), set())
            if levels & declared_levels_covering(edge.level):
                continue
            key = (edge.principal, edge.resource, edge.level)
            if key in reported:
                continue
            reported.add(key)
            resource_side = [g for g in edge.grants if world.resource_of(edge.resource) and g.file == _file(world, edge)]
            at = (resource_side or list(edge.grants) or [None])[0]
            if at is None:
                continue
            who = "anyone" if anyone else edge.principal.replace("*any-other-principal*", "<any principal>")
            yield PairHit(f"{who} can {edge.level} {edge.resource} ({', '.join(edge.actions[:3])}, {edge.network}); "
                          f"no declared access covers it", at, tuple(g for g in edge.grants if g != at))


def _named_accounts(world) -> set[str]:
    """Accounts the documents themselves name: principals' and resources' accounts, and accounts in Principal."""
    named = {p.account_id for p in world.principals.values()} | {r.account_id for r in world.resources.values()}
    named |= set(world.account_ids.values())
    for resource in world.resources.values():
        for statement in resource.policy.statements if resource.policy is not None else ():
            for values in (statement.principal or {}).values() if statement.ok else ():
                named |= {account_of(v) for v in values}
    return {a for a in named if a}


def _file(world, edge):
    resource = world.resource_of(edge.resource)
    policy = world.policy_of(resource) if resource is not None else None
    return policy.location.file if policy is not None else None


RULE = UndeclaredAccess()
