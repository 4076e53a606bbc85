"""Workflow proofs (issue 11): every generated role can do the work it exists for, and nothing across a boundary.

`prove(world, calls)` evaluates the catalogue's calls (`generate.workflows.calls_for`) with policygen's
evaluator; the tests do the same with iam-simulate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from policygen.access.evaluate import Decision, Inputs, Request, evaluate
from policygen.access.world import World
from policygen.generate.ram_workflows import RAM_CONSUMER
from policygen.generate.workflows import Call
from policygen.model.finding import Location
from policygen.policydoc.document import IDENTITY, TRUST, PolicyDoc

# A RAM consumer's own side: the consumer account's administrators grant its principals what they use (RAM grants
# the account, not its principals), so the proof gives the consumer principal an administrator's policy and lets
# the share, SCPs and RCPs decide.
CONSUMER_POLICY = PolicyDoc(IDENTITY, {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                            Location("(stand-in) RAM consumer's administrator policy", 1), name="ram-consumer")


# ---------------------------------------------------------------------------- evaluation
def request_of(world: World, call: Call) -> Request:
    request = world.request(call.principal, call.action, call.resource, call.context)
    if call.resource == "*" and request.resource_account is None:
        # An action that takes no resource ARN (List*, ec2:Describe*) acts in the caller's own account.
        request = replace(request, resource_account=request.principal_account)
    return request


def inputs_of(world: World, request: Request) -> Inputs:
    """What policygen's evaluator is given: the world's documents, and a RAM consumer's stand-in policy."""
    inputs = world.inputs(request)
    if request.principal.endswith("/" + RAM_CONSUMER) and request.principal not in world.principals:
        inputs.identity = [CONSUMER_POLICY]
    return inputs


def engine_inputs(world: World, request: Request) -> Inputs:
    """The documents AWS consults: a role's trust policy applies only to sts:AssumeRole* on it (IAM user guide,
    'Roles terms and concepts'); iam:PassRole and reads of a role are decided by identity policies and SCPs."""
    inputs = inputs_of(world, request)
    if inputs.resource is not None and inputs.resource.kind == TRUST and not request.action.lower().startswith("sts:assumerole"):
        return Inputs(inputs.identity, inputs.scp_levels, None, False)
    return inputs


def decide(world: World, call: Call) -> Decision:
    request = request_of(world, call)
    return evaluate(request, inputs_of(world, request))


@dataclass
class Outcome:
    call: Call
    decision: Decision

    @property
    def holds(self) -> bool:
        return self.decision.allowed == (self.call.expect == "allow")


def prove(world: World, calls: list[Call]) -> list[Outcome]:
    return [Outcome(c, decide(world, c)) for c in calls]


