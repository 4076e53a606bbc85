from policygen.access.blame import blame
from policygen.access.evaluate import evaluate
from policygen.lint.declared_paths import denied_requests, origin_of
from policygen.lint.rule import CorpusRule, PairHit


class VpcOnlyUnreachable(CorpusRule):
    """A declared consumer of a vpc_only resource cannot reach it through any endpoint it has.

    **Anti-pattern**: the bucket's `aws:SourceVpce` deny lists the endpoints of some accounts but not
    of a consumer's, or the consumer's account has no endpoint for the service. Its requests are
    refused however its own policy is written.

    **Best practice**: list in the deny exactly the endpoints of every declared consumer; policygen
    derives them from the organization file's `network.endpoints`.
    """

    id = "XA203"
    severity = "error"
    fix = "List in the endpoint deny every declared consumer's VPC endpoint."
    summary = "vpc_only resource unreachable from a consumer's endpoints"
    url = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html"

    def check_world(self, world, ctx):
        reported = set()
        for access, request, inputs, decision in denied_requests(world, _vpc_only_consumers(world)):
            listed = _listed_endpoints(world.resource_of(access.target).policy)
            if access in reported or not listed:
                continue
            # Only a network problem if the same request works from an endpoint the policy lists.
            elsewhere = world.request(request.principal, request.action, request.resource,
                                      {**request.context, "aws:SourceVpce": listed[0]})
            if not evaluate(elsewhere, inputs).allowed:
                continue
            reported.add(access)
            at, others = blame(decision, inputs)
            endpoint = request.context.get("aws:SourceVpce", "no endpoint")
            yield PairHit(f"{access.principal} cannot {request.action} {access.target} through {endpoint} "
                          f"(vpc_only; {decision.reason})", at, tuple(others), origin_of(world, access))


def _vpc_only_consumers(world):
    for access in world.facts.accesses or ():
        resource = world.resource_of(access.target)
        if resource is not None and resource.vpc_only and not access.via:
            yield access


RULE = VpcOnlyUnreachable()


def _listed_endpoints(policy) -> list[str]:
    found = []
    for statement in policy.statements if policy else []:
        for condition in statement.conditions:
            if condition.key.lower() == "aws:sourcevpce":
                found.extend(str(v) for v in condition.values if str(v).startswith("vpce-"))
    return sorted(set(found))
