"""Which (principal, resource) pairs could possibly be connected, found without comparing every pair.

A principal reaches a resource only if one of its identity statements names the resource (by
ARN or pattern) or the resource's policy names the principal (its ARN, its account, or "*").
Indexing both sides keeps the access graph and the XA rules linear in the organization's size.

With the IAM catalogue, a statement whose Resource is a wildcard ("*", or any account) reaches
only resources of a kind one of its actions acts on: a team role's `sagemaker:ListApps` on "*"
does not make it a candidate for every model package group of the organization, which made the
pairs grow with teams times groups.
"""

from __future__ import annotations

from collections import defaultdict

from policygen.access.arn import account_of, parse_arn
from policygen.policydoc.match import as_glob, glob_match

# The catalogue's resource types that are a resource of each kind the graph evaluates.
TYPES_OF = {"bucket": {"bucket", "object"}, "key": {"key"}, "repository": {"repository"},
            "model-package-group": {"model-package-group", "model-package"}, "event-bus": {"event-bus"}, "role": {"role"}}
KIND_OF_TYPE = {t: kind for kind, types in TYPES_OF.items() for t in types}


class PairIndex:
    def __init__(self, world, catalogue=None):
        self.world = world
        self.catalogue = catalogue
        self._kinds: dict[tuple, frozenset | None] = {}  # per tuple of Action values: the kinds they act on
        self._service_lists: dict[frozenset, list[str]] = {}  # per set of services: their resources
        self.by_principal_arn: dict[str, set[str]] = defaultdict(set)  # principal ARN -> resources naming it
        self.by_account: dict[str, set[str]] = defaultdict(set)  # account -> resources naming its root or a role in it
        self.public: set[str] = set()  # resources whose policy names "*" or uses NotPrincipal
        self.by_service_account: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.by_service: dict[str, list[str]] = defaultdict(list)
        for arn, resource in world.resources.items():
            parts = parse_arn(arn) or {}
            self.by_service_account[(parts.get("service", ""), parts.get("account", "") or "")].append(arn)
            self.by_service[parts.get("service", "")].append(arn)
            policy = world.policy_of(resource)
            for statement in policy.statements if policy else []:
                if not statement.allows:
                    continue
                if "NotPrincipal" in statement.raw or statement.public:
                    self.public.add(arn)
                for values in (statement.principal or {}).values():
                    for value in values:
                        self.by_principal_arn[value].add(arn)
                        account = account_of(value)
                        if account:
                            self.by_account[account].add(arn)

    def resources_for(self, principal_arn: str, account: str | None, identity) -> set[str]:
        found = set(self.public) | self.by_principal_arn.get(principal_arn, set())
        if account:
            found |= self.by_account.get(account, set())
        for doc in identity:
            for statement in doc.statements:
                if statement.allows:
                    found |= self._named_by(statement)
        return found

    def _of_services(self, services: set[str] | None):
        if services is None:
            return self.world.resources
        key = frozenset(services)
        known = self._service_lists.get(key)
        if known is None:  # asked for every role's "*" statements: the same few service sets each time
            known = self._service_lists[key] = [arn for s in sorted(services) for arn in self.by_service.get(s, [])]
        return known

    def _named_by(self, statement) -> set[str]:
        found: set[str] = set()
        services = _services(statement)  # a statement reaches only resources of its actions' services
        if "NotResource" in statement.raw:
            return set(self.world.resources) if services is None else {a for s in services for a in self.by_service.get(s, [])}
        kinds = self._kinds_of(statement)
        for pattern in statement.resources:
            pattern = as_glob(pattern)
            if pattern in self.world.resources:
                found.add(pattern)
                continue
            if pattern.startswith("arn:aws:s3:::"):
                bucket = "arn:aws:s3:::" + pattern[len("arn:aws:s3:::"):].split("/")[0]
                if "*" not in bucket and "?" not in bucket:  # one named bucket (or its objects)
                    if bucket in self.world.resources:
                        found.add(bucket)
                    continue
            parts = parse_arn(pattern)
            if pattern == "*" or parts is None:
                candidates = self._of_services(services)
            else:
                service, account = parts["service"], parts["account"]
                if "*" in service or "*" in account or "?" in service + account:
                    candidates = self._of_services(services)
                else:
                    candidates = self.by_service_account.get((service, account), [])
            for arn in candidates:
                kind = self.world.resources[arn].kind
                if kinds is not None and kind in TYPES_OF and kind not in kinds:
                    continue
                probes = (arn, arn + "/x") if arn.startswith("arn:aws:s3:::") else (arn,)
                if any(glob_match(pattern, p) for p in probes):
                    found.add(arn)
        return found

    def _kinds_of(self, statement) -> frozenset | None:
        """The resource kinds the statement's actions act on; None (any) without a catalogue, for
        NotAction, or when an action is not in the catalogue (it is not ruled out)."""
        if self.catalogue is None or "NotAction" in statement.raw:
            return None
        key = tuple(statement.actions)
        if key not in self._kinds:
            kinds: set[str] | None = set()
            for pattern in key:
                names = self.catalogue.expand(str(pattern))
                if not names:
                    kinds = None
                    break
                for name in names:
                    action = self.catalogue.action(name)
                    kinds |= {KIND_OF_TYPE[rt] for rt, _ in action.resource_types if rt in KIND_OF_TYPE}
            self._kinds[key] = frozenset(kinds) if kinds is not None else None
        return self._kinds[key]


# The ARN service of the resources an action's service acts on, where the two differ.
_ARN_SERVICE = {"sts": "iam"}


def _services(statement) -> set[str] | None:
    """ARN services the statement's actions can touch; None when any service could (NotAction, '*')."""
    if "NotAction" in statement.raw:
        return None
    out = set()
    for action in statement.actions:
        service = str(action).partition(":")[0].lower()
        if not service or "*" in service or "?" in service:
            return None
        out.add(_ARN_SERVICE.get(service, service))
    return out
