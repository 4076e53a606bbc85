"""Pull-pattern registry events (seed 001): the hub bus and its policy, the spokes' forwarding rules."""

from __future__ import annotations

from policygen.generate.arns import Arns, logical_id
from policygen.generate.emit import CfnResource, Document, Emission
from policygen.generate.plan.model import Plan
from policygen.generate.principals import admit_roles
from policygen.model import names
from policygen.model.policy import PolicyDocument, Statement
from policygen.model.kinds import EVENT_BUS


def generate_event_buses(arns: Arns, plan: Plan) -> Emission:
    out = Emission()
    r = arns.org.model_registry
    if r is None or r.pattern != "pull":
        return out
    senders = [a.principal for a in plan.accesses_to("event-bus").get((r.hub, names.REGISTRY_BUS), [])]
    principal, condition = admit_roles(arns, senders)
    policy = PolicyDocument([Statement(
        # Only PutEvents (seed 001's "events:*" would let spokes manage the bus), and only from the
        # spokes' forwarder roles, which the rules' targets use: not from any principal of a spoke.
        sid="AllowSpokesToPutEvents", effect="Allow", principal=principal, condition=condition,
        action=("events:PutEvents",), resource=(arns.event_bus(r.hub, names.REGISTRY_BUS),), source=r.span,
    )])
    out.documents.append(Document(EVENT_BUS, r.hub, names.REGISTRY_BUS, policy, r.span))
    out.resources.append(CfnResource(r.hub, logical_id("event", "bus", names.REGISTRY_BUS), "AWS::Events::EventBus", {
        "Name": names.REGISTRY_BUS,
        "Description": "Receives SageMaker model package state changes from the registry spokes",
        "Policy": policy.to_json(),
    }, r.span, comment="hub event bus of the pull-pattern model registry"))
    for spoke in r.spokes:
        groups = sorted(g.name for g in r.groups.values() if spoke in g.spokes)
        out.resources.append(CfnResource(spoke, logical_id("rule", names.REGISTRY_RULE), "AWS::Events::Rule", {
            "Name": names.REGISTRY_RULE,
            "Description": f"Forwards model package state changes of {', '.join(groups)} to the hub registry bus",
            "EventPattern": {
                "source": ["aws.sagemaker"],
                "detail-type": ["SageMaker Model Package State Change"],
                "detail": {"ModelPackageGroupName": groups},
            },
            "State": "ENABLED",
            "Targets": [{
                "Id": "hub-registry-bus",
                "Arn": arns.event_bus(r.hub, names.REGISTRY_BUS),
                "RoleArn": {"Fn::GetAtt": [logical_id("role", names.REGISTRY_FORWARDER_ROLE), "Arn"]},
            }],
        }, r.span))
    return out
