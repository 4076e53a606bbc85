"""Policies inside a CloudFormation template, one PolicyDoc per policy property."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Iterator

from policygen.errors import InputError, Problem
from policygen.policydoc import document as k
from policygen.policydoc.document import PolicyDoc
from policygen.ingest.intrinsics import flatten
from policygen.parse.located import LDict, LList, line_of, parse
from policygen.model.facts import ResourceFacts
from policygen.model.finding import Location
from policygen.model.kinds import ENDPOINT, RCP
from policygen.model.span import Span
from policygen.model.suppression import Suppression

# resource type -> [(property path, kind)]; "*" walks a list
POLICY_PROPERTIES: dict[str, list[tuple[tuple, str]]] = {
    "AWS::IAM::Role": [(("AssumeRolePolicyDocument",), k.TRUST), (("Policies", "*", "PolicyDocument"), k.IDENTITY)],
    "AWS::IAM::User": [(("Policies", "*", "PolicyDocument"), k.IDENTITY)],
    "AWS::IAM::Group": [(("Policies", "*", "PolicyDocument"), k.IDENTITY)],
    "AWS::IAM::ManagedPolicy": [(("PolicyDocument",), k.IDENTITY)],
    "AWS::IAM::Policy": [(("PolicyDocument",), k.IDENTITY)],
    "AWS::IAM::RolePolicy": [(("PolicyDocument",), k.IDENTITY)],
    "AWS::IAM::UserPolicy": [(("PolicyDocument",), k.IDENTITY)],
    "AWS::IAM::GroupPolicy": [(("PolicyDocument",), k.IDENTITY)],
    "AWS::S3::BucketPolicy": [(("PolicyDocument",), k.BUCKET)],
    "AWS::KMS::Key": [(("KeyPolicy",), k.KEY)],
    "AWS::ECR::Repository": [(("RepositoryPolicyText",), k.REPOSITORY)],
    "AWS::SageMaker::ModelPackageGroup": [(("ModelPackageGroupPolicy",), k.MODEL_PACKAGE_GROUP)],
    "AWS::Events::EventBus": [(("Policy",), k.EVENT_BUS)],
    "AWS::Events::EventBusPolicy": [(("Statement",), k.EVENT_BUS)],
}


def is_template(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("Resources"), dict) and (
        "AWSTemplateFormatVersion" in data or any(
            isinstance(r, dict) and str(r.get("Type", "")).startswith(("AWS::", "Custom::")) for r in data["Resources"].values()
        )
    )


def check_shape(data: dict, file: str, line_offset: int = 0) -> None:
    """The parts of a template policygen reads must have CloudFormation's shapes (else a located InputError):
    each resource a mapping with a string Type, and its Properties, Metadata and Metadata.policygen
    mappings; the template's Metadata and Metadata.policygen too."""
    def expect_mapping(value: Any, where: str, line: int) -> None:
        if value is not None and not isinstance(value, dict):
            raise InputError(Problem(f"{where} must be a mapping, not {_what(value)}", Span(file, line + line_offset, 1)))

    def line_in(holder: Any, key: str) -> int:
        return holder.line_of(key) if isinstance(holder, LDict) else line_of(holder, 1)

    meta = data.get("Metadata")
    expect_mapping(meta, "Metadata", line_in(data, "Metadata"))
    if isinstance(meta, dict):
        expect_mapping(meta.get("policygen"), "Metadata.policygen", line_in(meta, "policygen"))
    resources = data.get("Resources")
    for logical_id, resource in resources.items() if isinstance(resources, dict) else ():
        where = f"Resources.{logical_id}"
        if not isinstance(resource, dict):
            raise InputError(Problem(f"{where} must be a mapping, not {_what(resource)}", Span(file, line_in(resources, logical_id) + line_offset, 1)))
        if "Type" in resource and not isinstance(resource["Type"], str):
            raise InputError(Problem(f"{where}.Type must be a string, not {_what(resource['Type'])}",
                                     Span(file, line_in(resource, "Type") + line_offset, 1)))
        for key in ("Properties", "Metadata"):
            expect_mapping(resource.get(key), f"{where}.{key}", line_in(resource, key))
        meta = resource.get("Metadata")
        if isinstance(meta, dict):
            expect_mapping(meta.get("policygen"), f"{where}.Metadata.policygen", line_in(meta, "policygen"))


def _what(value: Any) -> str:
    return ("a string" if isinstance(value, str) else "a list" if isinstance(value, list) else
            "true or false" if isinstance(value, bool) else "a number" if isinstance(value, (int, float)) else
            "a mapping" if isinstance(value, dict) else "null" if value is None else type(value).__name__)


def template_docs(data: LDict, file: str, line_offset: int = 0, nested: bool = False) -> tuple[list[PolicyDoc], list[Suppression]]:
    """nested: data is a StackSet's TemplateBody; a StackSet inside it is not read further."""
    check_shape(data, file, line_offset)
    docs: list[PolicyDoc] = []
    suppressions: list[Suppression] = []
    resources = data.get("Resources") or {}
    owner = _template_account(data)
    ordered = sorted(resources.items(), key=lambda item: line_of(item[1]))
    ends = {name: (line_of(ordered[i + 1][1]) - 1 if i + 1 < len(ordered) else 10**9) for i, (name, _) in enumerate(ordered)}
    for logical_id, resource in ordered:
        if not isinstance(resource, dict):
            continue
        start = resources.line_of(logical_id) if isinstance(resources, LDict) else line_of(resource)
        suppressions.extend(_suppressions(resource, file, start, ends[logical_id], line_offset))
        declared = _declared(resource)
        props = resource.get("Properties") or {}
        rtype = str(resource.get("Type", ""))
        for path, kind in POLICY_PROPERTIES.get(rtype, []):
            for body in _values_at(props, path):
                if rtype == "AWS::Events::EventBusPolicy":
                    body = _wrap_statement(body)
                doc = _doc(kind, body, file, logical_id, declared, line_offset)
                if path[0] == "Policies":  # inline policies of one role: tell them apart
                    doc.name = f"{logical_id}/{_policy_name(props, body)}"
                docs.append(doc)
        if rtype == "AWS::Organizations::Policy" and props.get("Type") == "SERVICE_CONTROL_POLICY":
            docs.extend(_doc(k.SCP, body, file, logical_id, declared, line_offset) for body in _values_at(props, ("Content",)))
        if rtype == "AWS::Organizations::Policy" and props.get("Type") == "RESOURCE_CONTROL_POLICY":
            targets = [str(t) for t in props.get("TargetIds") or [] if isinstance(t, str)]
            docs.extend(_doc(RCP, body, file, logical_id, replace(declared, targets=tuple(targets)), line_offset)
                        for body in _values_at(props, ("Content",)))
        if rtype == "AWS::EC2::VPCEndpoint":  # read by the evaluator (a request through it must be allowed)
            endpoint = replace(declared, service=str(props.get("ServiceName") or "") or None)
            docs.extend(_doc(ENDPOINT, body, file, logical_id, endpoint, line_offset)
                        for body in _values_at(props, ("PolicyDocument",)))
        if rtype == "AWS::RAM::ResourceShare":
            share = _doc(k.SHARE, props, file, logical_id, declared, line_offset)
            share.location = Location(file, resource.line_of("Properties") + line_offset if isinstance(resource, LDict) else share.location.line)
            docs.append(share)
        if rtype == "AWS::CloudFormation::StackSet" and isinstance(props.get("TemplateBody"), str) and not nested:
            inner_docs, inner_supp = _nested(props["TemplateBody"], file, line_offset)
            docs.extend(inner_docs)
            suppressions.extend(inner_supp)
    for doc in docs:
        if doc.account_id is None:  # "" marks a StackSet body's documents: they deploy to other accounts
            doc.account_id = owner
    return docs, suppressions


def _policy_name(props: dict, body) -> str:
    for entry in props.get("Policies") or []:
        if isinstance(entry, dict) and entry.get("PolicyDocument") is body:
            return str(entry.get("PolicyName", "inline"))
    return "inline"


def _template_account(data: dict) -> str | None:
    """The account the template deploys into, when its Metadata.policygen says (policygen's templates do)."""
    meta = data.get("Metadata")
    meta = meta.get("policygen") if isinstance(meta, dict) else None
    value = meta.get("account_id") if isinstance(meta, dict) else None
    return str(value) if value else None


def _doc(kind: str, body: Any, file: str, logical_id: str, declared: ResourceFacts, offset: int) -> PolicyDoc:
    body = _shift(flatten(_maybe_json(body)), offset)
    return PolicyDoc(kind=kind, body=body, location=Location(file, line_of(body, 1)), name=logical_id,
                     logical_id=logical_id, declared=declared)


def _maybe_json(body: Any) -> Any:
    """Policy properties may hold the policy as a JSON string."""
    if isinstance(body, str) and body.lstrip().startswith("{"):
        try:
            inner = parse(str(body), "<policy string>")
        except InputError:
            return body
        return _shift(inner, line_of(body) - 1)
    return body


def _shift(value: Any, offset: int) -> Any:
    if not offset:
        return value
    if hasattr(value, "line"):
        value.line += offset
    if isinstance(value, LDict):
        value.key_lines = {key: line + offset for key, line in value.key_lines.items()}
        for key, item in value.items():
            _shift(item, offset)
            if hasattr(key, "line"):
                key.line += offset
    elif isinstance(value, LList):
        for item in value:
            _shift(item, offset)
    return value


def _wrap_statement(statement: Any) -> LDict:
    body = LDict({"Version": "2012-10-17", "Statement": LList([statement])})
    body.line, body.key_lines = line_of(statement), {}
    body["Statement"].line = line_of(statement)
    return body


def _values_at(value: Any, path: tuple) -> Iterator[Any]:
    if not path:
        if value is not None:
            yield value
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for item in value if isinstance(value, list) else []:
            yield from _values_at(item, rest)
    elif isinstance(value, dict) and head in value:
        yield from _values_at(value[head], rest)


def _policygen_metadata(resource: dict) -> dict:
    meta = resource.get("Metadata")
    meta = meta.get("policygen") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def _declared(resource: dict) -> ResourceFacts:
    """What a template resource's Metadata.policygen declares (policygen's templates say vpc_only and key admins)."""
    meta = _policygen_metadata(resource)
    admins = meta.get("admins")
    return ResourceFacts(vpc_only=bool(meta["vpc_only"]) if "vpc_only" in meta else None,
                         admins=tuple(str(a) for a in admins) if isinstance(admins, list) else None,
                         endpoint_id=str(meta["id"]) if "id" in meta else None)


def _suppressions(resource: dict, file: str, first: int, last: int, offset: int) -> list[Suppression]:
    entries = _policygen_metadata(resource).get("suppress") or []
    out = []
    for entry in entries if isinstance(entries, list) else [entries]:
        line = line_of(entry, first) + offset
        if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str) or not str(entry.get("reason") or "").strip():
            raise InputError(Problem("a suppression needs 'rule' and a non-empty 'reason'", Span(file, line, 1)))
        out.append(Suppression(rule=str(entry["rule"]), reason=str(entry["reason"]), expires=_date(entry.get("expires"), file, line),
                               where=Location(file, line), source="cfn", scope_file=file,
                               first_line=first + offset, last_line=last + offset if last < 10**9 else last))
    return out


def _date(value: Any, file: str, line: int) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(Problem(f"expires: '{value}' is not a date like 2027-01-31", Span(file, line, 1))) from None


def _nested(text: str, file: str, offset: int) -> tuple[list[PolicyDoc], list[Suppression]]:
    """A StackSet's TemplateBody: lint the inner template, with lines counted in the outer file."""
    try:
        inner = parse(str(text), file)
    except InputError:
        return [], []
    if not is_template(inner):
        return [], []
    # A block scalar's content starts on the line after the key.
    docs, suppressions = template_docs(inner, file, line_offset=offset + line_of(text), nested=True)
    for doc in docs:
        doc.account_id = doc.account_id or ""
    return docs, suppressions
