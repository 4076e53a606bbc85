"""A CloudFormation template as it deploys: its policies and roles with the values CloudFormation
would put in, and each StackSet's body instantiated in every account it targets.

The access checks must judge what gets deployed. So before the policies are read, references
that the template itself can answer are resolved: pseudo parameters (`AWS::AccountId`, from the
template's `Metadata.policygen` or the StackSet target), parameters (overrides, then defaults),
and the ARNs and names of the template's own resources (`!GetAtt Key.Arn`, `!Ref Bucket`). A StackSet
body (`TemplateBody`) is read once per target account, as the stack instance it becomes.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from policygen.errors import InputError
from policygen.ingest.cfn import check_shape, is_template, template_docs
from policygen.ingest.cfn_world import DEFAULT_ACCOUNT, DEFAULT_REGION, describe, properties, resource_arns
from policygen.model.facts import OrgFacts
from policygen.model.suppression import Suppression
from policygen.parse.located import LDict, LList, line_of, located_str, parse, placed_like, position_of, shift_lines
from policygen.policydoc.document import PolicyDoc

_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9_:.]+)\}")  # ${Name}; "${!Literal}" is not a reference


@dataclass
class TemplateRead:
    docs: list[PolicyDoc] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    stackset_bodies: list[str] = field(default_factory=list)  # TemplateBody texts, to recognise their files
    unresolved_targets: list[str] = field(default_factory=list)  # StackSet OUs no organization facts could expand
    facts: OrgFacts | None = None  # what the template says about where it deploys (Metadata.policygen)


def read_template(data: LDict, file: str, facts: OrgFacts | None = None, line_offset: int = 0,
                  overrides: Mapping[str, str] | None = None) -> TemplateRead:
    check_shape(data, file, line_offset)  # before anything below reads Resources, Properties or Metadata
    meta = _policygen_meta(data)
    account = str(meta.get("account_id") or DEFAULT_ACCOUNT)
    region = str(meta.get("region") or DEFAULT_REGION)
    values = {"AWS::AccountId": account, "AWS::Region": region, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com",
              **parameter_defaults(data), **(overrides or {})}
    values.update(_own_resources(data, account, region))
    resolved = substitute(data, values)
    docs, suppressions = template_docs(resolved, file, line_offset)
    out = TemplateRead(suppressions=suppressions)
    out.docs = [d for d in docs if d.account_id != ""]  # a StackSet body's documents: read per instance below
    resources = resolved.get("Resources") or {}
    for doc in out.docs:  # a role names its boundary (and AWS its managed policies) by the policy's IAM name
        name = properties(resources.get(doc.logical_id)).get("ManagedPolicyName") if doc.logical_id else None
        if isinstance(name, str):
            doc.iam_name = name
    out.roles = describe(data, out.docs)  # as written: it follows the template's own Refs between resources
    out.facts = _deployment_facts(meta, resolved)
    for resource in (resolved.get("Resources") or {}).values():
        if isinstance(resource, dict) and resource.get("Type") == "AWS::CloudFormation::StackSet":
            _instances(resource, file, line_offset, facts, out)
    return out


def _deployment_facts(meta: dict, data: dict) -> OrgFacts | None:
    """Organization facts a template states about itself: its account (name, id, OU, VPC endpoints,
    region) and, for the management account's template, where its SCPs are attached."""
    name, account_id = meta.get("account"), meta.get("account_id")
    targets = tuple(sorted({str(t) for r in (data.get("Resources") or {}).values() if isinstance(r, dict)
                            and r.get("Type") == "AWS::Organizations::Policy"
                            and properties(r).get("Type") == "SERVICE_CONTROL_POLICY"
                            for t in properties(r).get("TargetIds") or []}))
    if not (name and account_id) and not targets:
        return None
    endpoints = meta.get("endpoints") if isinstance(meta.get("endpoints"), dict) else {}
    ou = str(meta["ou_id"]) if meta.get("ou_id") else None
    # Without the organization file OUs are known by id only: the id stands for the name.
    return OrgFacts(
        home_region=str(meta["region"]) if meta.get("region") else None,
        accounts={str(name): str(account_id)} if name and account_id else {},
        ous={ou: ou} if ou else {}, account_ous={str(name): ou} if ou and name else {},
        endpoints={str(name): {str(k): str(v) for k, v in endpoints.items()}} if name and endpoints else {},
        scp_targets=targets,
    )


def _instances(resource: dict, file: str, line_offset: int, facts: OrgFacts | None, out: TemplateRead) -> None:
    props = properties(resource)
    body = props.get("TemplateBody")
    if not isinstance(body, str):
        return
    try:
        inner = parse(str(body), file)
    except InputError:
        return  # the body's own syntax is reported when the body file is linted
    if not is_template(inner):
        return
    # Its lines as in this file, once for every instance: a block scalar's content starts on the line after
    # the key. Read with these lines, the instances share every string CloudFormation leaves as written.
    inner = shift_lines(inner, line_offset + line_of(body))
    out.stackset_bodies.append(str(body))
    parameters = _parameters(props.get("Parameters"))
    first = True
    for group in props.get("StackInstancesGroup") or []:
        if not isinstance(group, dict):
            continue
        accounts, unresolved = _target_accounts(group.get("DeploymentTargets") or {}, facts)
        out.unresolved_targets.extend(unresolved)
        regions = [str(r) for r in group.get("Regions") or []] or [DEFAULT_REGION]
        overrides = {**parameters, **_parameters(group.get("ParameterOverrides"))}
        for account in accounts:
            instance = read_template(_with_account(inner, account, regions[0]), file, facts, 0, overrides)
            out.docs.extend(instance.docs)
            out.roles.extend(instance.roles)
            if first:  # the same body's suppressions, once
                out.suppressions.extend(instance.suppressions)
                first = False


def _target_accounts(targets: dict, facts: OrgFacts | None) -> tuple[list[str], list[str]]:
    accounts = [str(a) for a in targets.get("Accounts") or []]
    unresolved = []
    ous = [str(o) for o in targets.get("OrganizationalUnitIds") or []]
    if ous:
        ou_names = {ou_id: name for name, ou_id in (facts.ous.items() if facts else ())}
        for ou in ous:
            if ou not in ou_names:
                unresolved.append(ou)
                continue
            accounts.extend(facts.accounts[name] for name, parent in sorted(facts.account_ous.items())
                            if parent == ou_names[ou] and name in facts.accounts)
    return sorted(dict.fromkeys(accounts)), unresolved


def _with_account(template: LDict, account: str, region: str) -> LDict:
    """The body with its Metadata naming the target account and region, as the stack instance deploys."""
    out = placed_like(LDict(template), template)
    meta = _copy_at(template.get("Metadata"), template)
    policygen = _copy_at(meta.get("policygen"), meta)
    policygen.key_lines, policygen.key_cols = {}, {}  # its keys are about to be replaced by ones never written
    policygen.update({"account_id": account, "region": region})
    meta["policygen"] = policygen
    out["Metadata"] = meta
    return out


def _copy_at(mapping: Any, holder: LDict) -> LDict:
    """A copy of a mapping that may be missing, at its own place, else at the place of the mapping that holds it."""
    if isinstance(mapping, dict):
        return placed_like(LDict(mapping), mapping)
    out = LDict()
    out.line, out.col, out.key_lines, out.key_cols = holder.line, holder.col, {}, {}
    return out


def parameter_defaults(data: dict) -> dict[str, str]:
    params = data.get("Parameters")
    if not isinstance(params, dict):
        return {}
    return {str(name): str(spec["Default"]) for name, spec in params.items()
            if isinstance(spec, dict) and isinstance(spec.get("Default"), (str, int, float)) and not isinstance(spec.get("Default"), bool)
            and spec.get("Default") != ""}  # an empty default means "not given" (a Condition tests for it): keep the reference


def _parameters(entries: Any) -> dict[str, str]:
    """[{ParameterKey, ParameterValue}] (StackSet parameters and overrides) as a mapping."""
    out = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("ParameterKey"), str) and isinstance(entry.get("ParameterValue"), (str, int)):
            out[entry["ParameterKey"]] = str(entry["ParameterValue"])
    return out


def _own_resources(data: dict, account: str, region: str) -> dict[str, str]:
    """What `!Ref X` and `!GetAtt X.Arn` give for the template's own resources, where it is known before deployment."""
    values: dict[str, str] = {}
    resources = data.get("Resources") or {}
    for lid, arn in resource_arns(data, account, region).items():
        values[f"{lid}.Arn"] = arn
        kind = resources[lid].get("Type")
        # `!Ref` of a key is its id, made at deployment: left as a reference (aliases name the key meanwhile).
        if kind in ("AWS::S3::Bucket", "AWS::ECR::Repository", "AWS::IAM::Role"):
            values[lid] = arn.rsplit("/", 1)[-1] if kind != "AWS::S3::Bucket" else arn.rsplit(":", 1)[-1]
        elif kind == "AWS::IAM::ManagedPolicy":
            values[lid] = arn
    return values


def substitute(value: Any, values: Mapping[str, str]) -> Any:
    """The value with every Ref, GetAtt and Sub reference that `values` answers replaced by its text.

    A mapping or list that holds no answered reference is returned as it is, not copied (nothing
    changes the result: the policies read from it are copied by `flatten`). A template is substituted
    once per account it deploys to, and most of it (tags, statements of literal ARNs) holds none."""
    if isinstance(value, dict):
        if len(value) == 1:
            (name, arg), = value.items()
            known = _answer(str(name), arg, values)
            if known is not None:
                return located_str(known, *position_of(value))
        copy = None  # made at the first item that changes, with the items before it
        for index, (key, item) in enumerate(value.items()):
            new = substitute(item, values) if isinstance(item, (dict, list)) else item
            if copy is None and new is not item:
                copy = LDict(itertools.islice(value.items(), index))
            if copy is not None:
                copy[key] = new
        return value if copy is None else placed_like(copy, value)
    if isinstance(value, list):
        copy = None
        for index, item in enumerate(value):
            new = substitute(item, values) if isinstance(item, (dict, list)) else item
            if copy is None and new is not item:
                copy = LList(value[:index])
            if copy is not None:
                copy.append(new)
        return value if copy is None else placed_like(copy, value)
    return value


def _answer(name: str, arg: Any, values: Mapping[str, str]) -> str | None:
    if name == "Ref" and isinstance(arg, str):
        return values.get(arg)
    if name == "Fn::GetAtt":
        key = arg if isinstance(arg, str) else ".".join(str(p) for p in arg) if isinstance(arg, list) else None
        return values.get(key) if key else None
    if name == "Fn::Sub":
        template, own = (arg[0], arg[1]) if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict) else (arg, {})
        if not isinstance(template, str):
            return None
        local = {str(k): v for k, v in (substitute(own, values) or {}).items() if isinstance(v, str)}
        if len(local) != len(own):
            return None  # a variable that stays unknown: leave the Sub for the linter's placeholders
        scope = {**values, **local}
        names = _SUB_NAME.findall(template)
        if not names or any(n not in scope for n in names):
            return None
        return _SUB_NAME.sub(lambda m: scope[m.group(1)], template)
    return None


def _policygen_meta(data: dict) -> dict:
    meta = data.get("Metadata")
    meta = meta.get("policygen") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}
