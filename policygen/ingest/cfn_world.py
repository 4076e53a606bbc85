"""What a CloudFormation template says about principals and resources, for the access world.

Roles become principals (with their inline and attached managed policies and their trust
policy); buckets, keys, repositories, model package groups and buses get the ARN their policy
guards. The account and region come from the template's `Metadata.policygen` (policygen's own
templates carry them; hand-written ones may); a key's ARN, which CloudFormation only knows after
deployment, may be given as the key's `Metadata.policygen.arn` so that other templates can name it.
"""

from __future__ import annotations

from typing import Any

from policygen.ingest.intrinsics import flatten
from policygen.policydoc.document import BUCKET, EVENT_BUS, IDENTITY, KEY, MODEL_PACKAGE_GROUP, REPOSITORY, TRUST, PolicyDoc

DEFAULT_ACCOUNT, DEFAULT_REGION = "123456789012", "us-east-1"


def properties(resource: Any) -> dict:
    """A resource's Properties, or nothing when they are not a mapping (reported where policies are read)."""
    props = resource.get("Properties") if isinstance(resource, dict) else None
    return props if isinstance(props, dict) else {}


def describe(data: dict, docs: list[PolicyDoc]) -> list[dict]:
    """Fill each resource policy's declared ARN; return the template's roles (as build role files look)."""
    meta = (data.get("Metadata") or {}).get("policygen") or {} if isinstance(data.get("Metadata"), dict) else {}
    account = str(meta.get("account_id") or DEFAULT_ACCOUNT)
    region = str(meta.get("region") or DEFAULT_REGION)
    resources = data.get("Resources") or {}
    arns = resource_arns(data, account, region)
    aliases = _key_aliases(resources)
    for doc in docs:
        resource = resources.get(doc.logical_id) if doc.logical_id else None
        if not isinstance(resource, dict):
            continue
        props = properties(resource)
        if doc.kind == BUCKET:
            bucket_id = _ref(props.get("Bucket"))
            doc.declared = doc.declared.filled(arn=arns.get(bucket_id) or f"arn:aws:s3:::{props.get('Bucket')}",
                                               key=_bucket_key(resources.get(bucket_id) or {}, arns) or None)
        elif doc.kind == KEY and aliases.get(doc.logical_id):
            doc.declared = doc.declared.filled(aliases=tuple(sorted(aliases[doc.logical_id])), arn=arns[doc.logical_id])
        elif doc.kind in (KEY, REPOSITORY, MODEL_PACKAGE_GROUP) or (doc.kind == EVENT_BUS and resource.get("Type") == "AWS::Events::EventBus"):
            doc.declared = doc.declared.filled(arn=arns.get(doc.logical_id))
        elif doc.kind == EVENT_BUS:
            doc.declared = doc.declared.filled(arn=arns.get(_ref(props.get("EventBusName"))))
    return _roles(resources, docs, arns, account, region)


def resource_arns(data: dict, account: str, region: str) -> dict[str, str]:
    """logical id -> the ARN of each resource whose ARN is known before deployment.

    A KMS key's id is made at deployment; before it, the key is known by its alias, so a key with one
    alias is named `key/<alias name>` (policygen's builds name keys the same way).
    """
    resources = data.get("Resources") or {}
    aliases = _key_aliases(resources)
    out = {}
    for lid, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        arn = _arn(lid, resource, resources, account, region)
        if resource.get("Type") == "AWS::KMS::Key" and len(aliases.get(lid, [])) == 1 and arn == f"arn:aws:kms:{region}:{account}:key/{lid}":
            arn = f"arn:aws:kms:{region}:{account}:key/{aliases[lid][0].removeprefix('alias/')}"
        if arn:
            out[lid] = arn
    return out


def _key_aliases(resources: dict) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    for r in resources.values():
        if isinstance(r, dict) and r.get("Type") == "AWS::KMS::Alias":
            props = properties(r)
            aliases.setdefault(_ref(props.get("TargetKeyId")) or "", []).append(str(props.get("AliasName")))
    return aliases


LAMBDA_FUNCTIONS = ("AWS::Lambda::Function", "AWS::Serverless::Function")


def _functions(resources: dict, account: str, region: str) -> dict[str, list[str]]:
    """The role each Lambda function runs as (its logical id, or its ARN as written) -> the functions' ARNs. A
    function without FunctionName is named after its logical id, as buckets are; one without Role (SAM makes
    the role) is left out: its role is not visible here."""
    out: dict[str, list[str]] = {}
    for lid, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") not in LAMBDA_FUNCTIONS:
            continue
        props = properties(resource)
        name = _name(props.get("FunctionName"), account, region, lid)
        role = _ref(props.get("Role")) or (props.get("Role") if isinstance(props.get("Role"), str) else None)
        if name and role:
            out.setdefault(role, []).append(f"arn:aws:lambda:{region}:{account}:function:{name}")
    return out


def _roles(resources: dict, docs: list[PolicyDoc], arns: dict, account: str, region: str) -> list[dict]:
    managed: dict[str, list[str]] = {}
    for lid, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            for role in (properties(resource)).get("Roles") or []:
                managed.setdefault(_ref(role) or str(role), []).append(lid)
    roles = []
    functions = _functions(resources, account, region)
    for lid, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::IAM::Role":
            continue
        props = properties(resource)
        for ref in props.get("ManagedPolicyArns") or []:
            if _ref(ref) in resources:
                managed.setdefault(lid, []).append(_ref(ref))
        names = [d.name for d in docs if d.kind == IDENTITY and d.logical_id == lid] + managed.get(lid, [])
        name = props.get("RoleName") or lid
        role = {"Arn": f"arn:aws:iam::{account}:role/{name}", "TrustPolicy": lid, "Policies": names,
                "AccountId": account, "Tags": _tags(props.get("Tags"))}
        if props.get("PermissionsBoundary"):
            role["PermissionsBoundary"] = _boundary(props["PermissionsBoundary"], resources)
        runs = sorted(set(functions.get(lid, []) + functions.get(role["Arn"], [])))
        if runs:  # the functions that run as this role (access.escalation: who may change their code)
            role["Functions"] = runs
        roles.append(role)
    for doc in docs:  # identity and trust documents are found by (account, kind, name)
        if doc.kind in (IDENTITY, TRUST):
            doc.account_id = doc.account_id or account
    return roles


def _arn(lid: str, resource: dict, resources: dict, account: str, region: str) -> str | None:
    props = properties(resource)
    kind = resource.get("Type")
    meta = (resource.get("Metadata") or {}).get("policygen") if isinstance(resource.get("Metadata"), dict) else None
    if isinstance(meta, dict) and meta.get("arn"):
        return str(meta["arn"])
    def name(prop: str, fallback: str) -> str | None:
        return _name(props.get(prop), account, region, fallback)

    if kind == "AWS::S3::Bucket":
        return _arn_of("arn:aws:s3:::{}", name("BucketName", lid.lower()))
    if kind == "AWS::KMS::Key":
        return f"arn:aws:kms:{region}:{account}:key/{lid}"
    if kind == "AWS::ECR::Repository":
        return _arn_of(f"arn:aws:ecr:{region}:{account}:repository/{{}}", name("RepositoryName", lid.lower()))
    if kind == "AWS::SageMaker::ModelPackageGroup":
        return _arn_of(f"arn:aws:sagemaker:{region}:{account}:model-package-group/{{}}", name("ModelPackageGroupName", lid))
    if kind == "AWS::Events::EventBus":
        return _arn_of(f"arn:aws:events:{region}:{account}:event-bus/{{}}", name("Name", lid))
    return None


def _name(value: Any, account: str, region: str, fallback: str) -> str | None:
    """A resource's name as CloudFormation gives it: the literal, a `!Sub` of pseudo parameters, or the
    fallback when the template names none; None when it depends on what is only known at deployment."""
    if value is None or value == "":
        return fallback
    if isinstance(value, str):
        return value
    flat = flatten(value, {"AWS::AccountId": account, "AWS::Region": region, "AWS::Partition": "aws",
                           "AWS::URLSuffix": "amazonaws.com"})
    return str(flat) if isinstance(flat, str) and "${" not in flat else None


def _arn_of(pattern: str, name: str | None) -> str | None:
    return pattern.format(name) if name else None


def _ref(value: Any) -> str | None:
    """The logical id a Ref or GetAtt names (already flattened to "${Id}" / "${Id.Arn}", or raw)."""
    if isinstance(value, dict):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            return str(target[0] if isinstance(target, list) else str(target).split(".")[0])
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        return value[2:-1].split(".")[0]
    return None


def _bucket_key(bucket: dict, arns: dict) -> str | None:
    rules = ((properties(bucket).get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration") or [])
    for rule in rules if isinstance(rules, list) else []:
        key = ((rule or {}).get("ServerSideEncryptionByDefault") or {}).get("KMSMasterKeyID")
        if key is None:
            continue
        return arns.get(_ref(key)) if _ref(key) else str(key)
    return None


def _boundary(value: Any, resources: dict) -> str:
    """The logical id of the managed policy a role names as its permissions boundary (by Ref, or
    by an ARN ending in its ManagedPolicyName), or the ARN as written."""
    if _ref(value):
        return _ref(value)
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):  # an ARN written with !Sub
        value = value["Fn::Sub"]
    name = str(value).rsplit("/", 1)[-1]
    for lid, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") == "AWS::IAM::ManagedPolicy" and (
                (resource.get("Properties") or {}).get("ManagedPolicyName") == name):
            return lid
    return str(value)


def _tags(tags: Any) -> dict[str, str]:
    """[{Key, Value}] as a mapping: the principal's tags (aws:PrincipalTag/...)."""
    return {str(t["Key"]): str(t["Value"]) for t in tags if isinstance(t, dict) and "Key" in t and "Value" in t} \
        if isinstance(tags, list) else {}
