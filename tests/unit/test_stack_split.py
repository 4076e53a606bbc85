"""Account templates past CloudFormation's 500 resources become several stacks: resources that name
each other stay together, and adding an entry moves no other resource between stacks."""

from __future__ import annotations

from policygen.generate.emit import CfnResource
from policygen.generate.quotas import TEMPLATE_RESOURCES
from policygen.generate.stack_split import part_name, split_resources
from policygen.model.span import Span

SPAN = Span("org.yaml", 1, 1)


def group(name: str) -> CfnResource:
    return CfnResource("hub", f"ModelPackageGroup{name}", "AWS::SageMaker::ModelPackageGroup",
                       {"ModelPackageGroupName": name}, SPAN)


def where(parts) -> dict[str, int]:
    return {r.logical_id: i for i, part in enumerate(parts) for r in part}


def test_a_template_within_the_quota_stays_one_stack():
    resources = [group(f"g{i}") for i in range(TEMPLATE_RESOURCES)]
    assert split_resources(resources) == [resources]
    assert part_name("hub", 0) == "hub.yaml"


def test_past_the_quota_every_part_fits_and_nothing_is_lost():
    resources = [group(f"g{i}") for i in range(1_200)]
    parts = split_resources(resources)
    assert len(parts) in (4, 8)  # a power of two, the smallest that fits
    assert all(len(p) <= TEMPLATE_RESOURCES for p in parts)
    assert sorted(r.logical_id for p in parts for r in p) == sorted(r.logical_id for r in resources)
    assert [part_name("hub", i) for i in range(3)] == ["hub.yaml", "hub.part-2.yaml", "hub.part-3.yaml"]


def test_resources_that_name_each_other_share_a_stack():
    resources = [group(f"g{i}") for i in range(600)]
    role = CfnResource("hub", "ZRole", "AWS::IAM::Role", {"RoleName": "r"}, SPAN)
    policy = CfnResource("hub", "AManagedPolicy", "AWS::IAM::ManagedPolicy",
                         {"Roles": [{"Ref": "ZRole"}], "Description": {"Fn::Sub": "for ${ZRole.Arn}"}}, SPAN)
    alias = CfnResource("hub", "MAlias", "AWS::KMS::Alias", {"TargetKeyId": {"Fn::GetAtt": ["MKey", "Arn"]}}, SPAN)
    key = CfnResource("hub", "MKey", "AWS::KMS::Key", {}, SPAN, depends_on=("AManagedPolicy",))
    parts = where(split_resources(resources + [role, policy, alias, key]))
    assert parts["ZRole"] == parts["AManagedPolicy"] == parts["MKey"] == parts["MAlias"]


def test_adding_an_entry_moves_no_other_resource():
    before = where(split_resources([group(f"g{i}") for i in range(1_000)]))
    after = where(split_resources([group(f"g{i}") for i in range(1_001)]))
    assert len(set(after.values())) == len(set(before.values()))
    assert all(after[name] == part for name, part in before.items())


def test_when_the_parts_double_a_resource_moves_only_to_its_new_twin():
    before = split_resources([group(f"g{i}") for i in range(700)])
    after = split_resources([group(f"g{i}") for i in range(1_500)])
    n = len(before)
    assert len(after) == 2 * n
    old, new = where(before), where(after)
    assert all(new[name] in (part, part + n) for name, part in old.items())
