"""Policies inside a CloudFormation template, one PolicyDoc per policy property."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any, Iterator

from policygen.errors import InputError, Problem
from policygen.policydoc import document as k
from policygen.policydoc.document import PolicyDoc
from policygen.ingest.intrinsics import flatten, parameter_defaults, variants
from policygen.parse.located import LDict, LList, LStr, line_of, parse, shift_lines
from policygen.model.facts import ResourceFacts
from policygen.model.finding import Location
from policygen.model.kinds import ENDPOINT
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
    "AWS::KMS::ReplicaKey": [(("KeyPolicy",), k.KEY)],
    "AWS::ECR::Repository": [(("RepositoryPolicyText",), k.REPOSITORY)],
    "AWS::SageMaker::ModelPackageGroup": [(("ModelPackageGroupPolicy",), k.MODEL_PACKAGE_GROUP)],
    "AWS::Events::EventBus": [(("Policy",), k.EVENT_BUS)],
    "AWS::Events::EventBusPolicy": [(("Statement",), k.EVENT_BUS)],
    # Resource policies of other services (property names from the CloudFormation resource reference).
    "AWS::SQS::QueuePolicy": [(("PolicyDocument",), k.RESOURCE)],
    "AWS::SQS::QueueInlinePolicy": [(("PolicyDocument",), k.RESOURCE)],
    "AWS::SNS::TopicPolicy": [(("PolicyDocument",), k.RESOURCE)],
    "AWS::SecretsManager::ResourcePolicy": [(("ResourcePolicy",), k.RESOURCE)],
    "AWS::Backup::BackupVault": [(("AccessPolicy",), k.RESOURCE)],
    "AWS::OpenSearchService::Domain": [(("AccessPolicies",), k.RESOURCE)],
    "AWS::Elasticsearch::Domain": [(("AccessPolicies",), k.RESOURCE)],
    "AWS::Logs::ResourcePolicy": [(("PolicyDocument",), k.RESOURCE)],  # a JSON string
    "AWS::ApiGateway::RestApi": [(("Policy",), k.RESOURCE)],
    "AWS::EventSchemas::RegistryPolicy": [(("Policy",), k.RESOURCE)],
    "AWS::ECR::RegistryPolicy": [(("PolicyText",), k.RESOURCE)],
    "AWS::Kinesis::ResourcePolicy": [(("ResourcePolicy",), k.RESOURCE)],
    # SAM (Transform: AWS::Serverless-2016-10-31): inline documents and statements; named SAM policy
    # templates (S3ReadPolicy: {...}) and managed policy names are AWS-defined and not read.
    "AWS::Serverless::Function": [(("AssumeRolePolicyDocument",), k.TRUST)],
    "AWS::Serverless::StateMachine": [],
    "AWS::Serverless::Api": [(("Auth", "ResourcePolicy", "CustomStatements"), k.RESOURCE)],
}
# The service whose resource policy a template property holds (the resource type's second part, unless named here).
SERVICE_OF_TYPE = {"OpenSearchService": "es", "Elasticsearch": "es", "Logs": "logs", "ApiGateway": "execute-api",
                   "EventSchemas": "schemas", "Serverless": "execute-api"}
SAM_POLICIES = ("AWS::Serverless::Function", "AWS::Serverless::StateMachine")
WRAPPED = ("AWS::Events::EventBusPolicy", "AWS::Serverless::Api")  # the property holds statements, not a document


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
    params = parameter_defaults(data)
    ordered = sorted(resources.items(), key=lambda item: line_of(item[1]))
    ends = {name: (line_of(ordered[i + 1][1]) - 1 if i + 1 < len(ordered) else 10**9) for i, (name, _) in enumerate(ordered)}
    for logical_id, resource in ordered:
        if not isinstance(resource, dict):
            continue
        start = resources.line_of(logical_id) if isinstance(resources, LDict) else line_of(resource)
        suppressions.extend(_suppressions(resource, file, start, ends[logical_id], line_offset))
        declared = _declared(resource)
        rtype = str(resource.get("Type", ""))
        service = _service_of(rtype)

        def make(kind: str, body: Any, name: str | None = None) -> PolicyDoc:
            doc = _doc(kind, body, file, logical_id, declared, line_offset, params)
            doc.service = service if kind == k.RESOURCE else None
            if name:
                doc.name = name
            return doc

        for props in _variants_of(resource.get("Properties") or {}):
            for path, kind in POLICY_PROPERTIES.get(rtype, []):
                for body in _values_at(props, path):
                    if rtype in WRAPPED:
                        body = _wrap_statement(body)
                    # inline policies of one role: tell them apart
                    docs.append(make(kind, body, f"{logical_id}/{_policy_name(props, body)}" if path[0] == "Policies" else None))
            docs.extend(_special_docs(rtype, props, make, declared, logical_id))
            if rtype == "AWS::RAM::ResourceShare":
                share = _doc(k.SHARE, props, file, logical_id, declared, line_offset, params)
                share.location = Location(file, resource.line_of("Properties") + line_offset if isinstance(resource, LDict) else share.location.line)
                docs.append(share)
            if rtype == "AWS::CloudFormation::StackSet" and isinstance(props.get("TemplateBody"), str) and not nested:
                inner_docs, inner_supp = _nested(props["TemplateBody"], file, line_offset)
                docs.extend(inner_docs)
                suppressions.extend(inner_supp)
    for doc in docs:
        if doc.account_id is None:  # "" marks a StackSet body's documents: they deploy to other accounts
            doc.account_id = owner
    return _distinct(docs), suppressions


def _special_docs(rtype: str, props: Any, make, declared, logical_id: str) -> list[PolicyDoc]:
    """Policies whose document is not simply a property: the legacy bus policy, a Lambda permission,
    SAM's policy templates, an Organizations policy (SCP or RCP), a VPC endpoint's policy."""
    docs: list[PolicyDoc] = []
    if rtype == "AWS::Events::EventBusPolicy" and "Statement" not in props and "Principal" in props:
        docs.append(make(k.EVENT_BUS, _legacy_bus_statement(props)))
    if rtype == "AWS::Lambda::Permission":
        docs.append(make(k.RESOURCE, _lambda_permission(props)))
    if rtype in SAM_POLICIES:
        for i, body in enumerate(_sam_documents(props.get("Policies"))):
            docs.append(make(k.IDENTITY, body, f"{logical_id}/Policies[{i}]"))
    if rtype == "AWS::Organizations::Policy" and props.get("Type") in ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"):
        kind = k.SCP if props.get("Type") == "SERVICE_CONTROL_POLICY" else k.RCP
        targets = tuple(str(t) for t in props.get("TargetIds") or [] if isinstance(t, str))
        for body in _values_at(props, ("Content",)):
            doc = make(kind, body)
            if kind == k.RCP:  # the level it is attached at (root, OU or account)
                doc.declared = replace(declared, targets=targets)
            docs.append(doc)
    if rtype == "AWS::EC2::VPCEndpoint":  # read by the evaluator (a request through it must be allowed)
        for body in _values_at(props, ("PolicyDocument",)):
            doc = make(ENDPOINT, body)
            doc.declared = replace(declared, service=str(props.get("ServiceName") or "") or None)
            docs.append(doc)
    return docs


def _variants_of(props: Any) -> list[Any]:
    """The resource's properties once per combination of its Fn::If conditions (see ingest/intrinsics.py).

    Conditions are never decided from parameter defaults or the stand-in account and region: a deployer
    may pass any value, so every branch is a document that can deploy."""
    return variants(props) if isinstance(props, dict) else [props]


def _distinct(docs: list[PolicyDoc]) -> list[PolicyDoc]:
    """One document per (resource, property, content): variants that agree on a policy give it once.

    Only documents of one place (kind, name, location) can agree, and most places have one
    document: contents are written out for comparison only at a place that repeats."""
    first: dict[tuple, PolicyDoc] = {}
    contents: dict[tuple, set[str]] = {}  # place -> the contents (JSON) given there, once it repeats
    out = []
    for doc in docs:
        place = (doc.kind, doc.name, doc.location)
        if place not in first:
            first[place] = doc
            out.append(doc)
            continue
        given = contents.setdefault(place, {_json_text(first[place])})
        text = _json_text(doc)
        if text not in given:
            given.add(text)
            out.append(doc)
    return out


def _json_text(doc: PolicyDoc) -> str:
    return json.dumps(doc.body, sort_keys=True, default=str)


def _service_of(rtype: str) -> str | None:
    parts = rtype.split("::")
    return SERVICE_OF_TYPE.get(parts[1], parts[1].lower()) if len(parts) == 3 else None


def _sam_documents(policies: Any) -> list[Any]:
    """SAM `Policies:` entries that are policy documents; managed policy names/ARNs and named SAM policy
    templates (`S3ReadPolicy: {BucketName: ...}`) are AWS-defined and skipped."""
    items = policies if isinstance(policies, list) else [policies]
    return [item for item in items if isinstance(item, dict) and "Statement" in item]


def _synthetic(statement: dict, line: int) -> LDict:
    """A located statement built from resource properties: every value keeps the line it came from."""
    out = LDict({key: value for key, value in statement.items() if value is not None})
    out.line, out.key_lines = line, {}
    return out


def _lambda_permission(props: LDict) -> LDict:
    """AWS::Lambda::Permission as the statement Lambda adds to the function's policy."""
    line = line_of(props)
    principal = props.get("Principal")
    text = str(flatten(principal)) if principal is not None else ""
    if text == "*":
        principal_block: Any = "*"
    elif text.endswith(".amazonaws.com") or text.endswith(".amazonaws.com.cn"):
        principal_block = _synthetic({"Service": principal}, line_of(principal, line))
    else:
        principal_block = _synthetic({"AWS": principal}, line_of(principal, line))
    conditions: dict[str, dict] = {}
    for prop, operator, key in (("SourceArn", "ArnLike", "aws:SourceArn"), ("SourceAccount", "StringEquals", "aws:SourceAccount"),
                                ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID")):
        if props.get(prop) is not None:
            conditions.setdefault(operator, {})[key] = props[prop]
    if str(props.get("FunctionUrlAuthType", "")) and props.get("FunctionUrlAuthType") is not None:
        conditions.setdefault("StringEquals", {})["lambda:FunctionUrlAuthType"] = props["FunctionUrlAuthType"]
    statement = _synthetic({
        "Effect": "Allow", "Principal": principal_block, "Action": props.get("Action"), "Resource": _function_arn(props.get("FunctionName")),
        "Condition": _synthetic({op: _synthetic(keys, line) for op, keys in conditions.items()}, line) if conditions else None,
    }, line_of(principal, line))
    for key, prop in (("Principal", "Principal"), ("Action", "Action"), ("Resource", "FunctionName")):
        statement.key_lines[key] = props.line_of(prop) if isinstance(props, LDict) else line
    return _wrap_statement(statement)


def _function_arn(name: Any) -> Any:
    """FunctionName may be a name, a partial ARN or an ARN; the policy's Resource is the function's ARN."""
    text = str(flatten(name)) if name is not None else ""
    if not text or text.startswith(("arn:", "${")):
        return name
    out = LStr("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:" + text.split(":function:")[-1])
    out.line = line_of(name)
    return out


def _legacy_bus_statement(props: LDict) -> LDict:
    """AWS::Events::EventBusPolicy written with Principal/Action/Condition instead of Statement."""
    line = line_of(props)
    principal = props.get("Principal")
    condition = props.get("Condition")
    block = None
    if isinstance(condition, dict) and condition.get("Key") is not None:
        block = _synthetic({str(condition.get("Type", "StringEquals")): _synthetic({str(condition["Key"]): condition.get("Value")}, line)}, line)
    text = str(flatten(principal)) if principal is not None else ""
    statement = _synthetic({"Sid": props.get("StatementId"), "Effect": "Allow",
                            "Principal": "*" if text == "*" else _synthetic({"AWS": principal}, line_of(principal, line)),
                            "Action": props.get("Action"), "Resource": "*", "Condition": block}, line)
    return _wrap_statement(statement)


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


def _doc(kind: str, body: Any, file: str, logical_id: str, declared: ResourceFacts, offset: int,
         params: dict | None = None) -> PolicyDoc:
    # A JSON-string policy (`!Sub '{...}'`, a `!Join` of strings) is parsed after its placeholders are filled.
    body = shift_lines(_maybe_json(flatten(body, params)), offset)
    return PolicyDoc(kind=kind, body=body, location=Location(file, line_of(body, 1)), name=logical_id,
                     logical_id=logical_id, declared=declared)


def _maybe_json(body: Any) -> Any:
    """Policy properties may hold the policy as a JSON string."""
    if isinstance(body, str) and body.lstrip().startswith("{"):
        try:
            inner = parse(str(body), "<policy string>")
        except InputError:
            return body
        return flatten(shift_lines(inner, max(line_of(body) - 1, 0)))
    return body


def _wrap_statement(statement: Any) -> LDict:
    """A document around one statement (or a list of statements: SAM's CustomStatements)."""
    statements = statement if isinstance(statement, list) else LList([statement])
    body = LDict({"Version": "2012-10-17", "Statement": statements})
    body.line, body.key_lines = line_of(statement), {}
    if not line_of(statements):
        statements.line = line_of(statement)
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
