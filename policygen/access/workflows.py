"""Workflow proofs (issue 11): every generated role can do the work it exists for, and nothing across a boundary.

`prove(world, calls)` evaluates the catalogue's calls (`generate.workflows.calls_for`) with policygen's
evaluator; the tests do the same with iam-simulate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from policygen.access.evaluate import Decision, Inputs, Request, evaluate
from policygen.access.world import World
from policygen.generate.workflows import Call
from policygen.policydoc.document import TRUST


# ---------------------------------------------------------------------------- evaluation
def request_of(world: World, call: Call) -> Request:
    request = world.request(call.principal, call.action, call.resource, call.context)
    if call.resource == "*" and request.resource_account is None:
        # An action that takes no resource ARN (List*, ec2:Describe*) acts in the caller's own account.
        request = replace(request, resource_account=request.principal_account)
    return request


def engine_inputs(world: World, request: Request) -> Inputs:
    """The documents AWS consults: a role's trust policy applies only to sts:AssumeRole* on it (IAM user guide,
    'Roles terms and concepts'); iam:PassRole and reads of a role are decided by identity policies and SCPs."""
    inputs = world.inputs(request)
    if inputs.resource is not None and inputs.resource.kind == TRUST and not request.action.lower().startswith("sts:assumerole"):
        return Inputs(inputs.identity, inputs.scp_levels, None, False)
    return inputs


def decide(world: World, call: Call) -> Decision:
    request = request_of(world, call)
    return evaluate(request, world.inputs(request))


@dataclass
class Outcome:
    call: Call
    decision: Decision

    @property
    def holds(self) -> bool:
        return self.decision.allowed == (self.call.expect == "allow")


def prove(world: World, calls: list[Call]) -> list[Outcome]:
    return [Outcome(c, decide(world, c)) for c in calls]


