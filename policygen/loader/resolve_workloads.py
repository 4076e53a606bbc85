"""Teams, Studio, the deployment pipeline, the model registry, the feature store and pipelines."""

from __future__ import annotations

from policygen.loader.resolve_context import Context
from policygen.model.org import (
    Deployment, FeatureGroup, FeatureStore, ModelRegistry, Organization, Pipeline, RegistryGroup, Share, Studio, Team, TEAM_ACTIVITIES,
)
from policygen.parse.marked import Path


def teams(c: Context) -> dict[str, Team]:
    out = {}
    for name, t in c.spec.teams.items():
        path = ("teams", name)
        c.ref(t.account, c.spec.accounts, "account", path + ("account",))
        c.refs(t.read, c.spec.buckets, "bucket", path + ("read",))
        c.refs(t.write, c.spec.buckets, "bucket", path + ("write",))
        c.refs(t.images, c.spec.ecr_repositories, "repository", path + ("images",))
        c.refs(t.volume_keys, c.spec.keys, "key", path + ("volume_keys",))
        spans = {f"read/{b}": c.m.span(path + ("read", i)) for i, b in enumerate(t.read)}
        spans |= {f"write/{b}": c.m.span(path + ("write", i)) for i, b in enumerate(t.write)}
        spans |= {f"images/{r}": c.m.span(path + ("images", i)) for i, r in enumerate(t.images)}
        spans |= {f"volume_keys/{k}": c.m.span(path + ("volume_keys", i)) for i, k in enumerate(t.volume_keys)}
        activities = tuple(dict.fromkeys(t.activities)) if t.activities is not None else TEAM_ACTIVITIES
        out[name] = Team(name, t.account, tuple(t.read), tuple(t.write), c.entity_span(path), spans,
                         images=tuple(t.images), activities=activities, volume_keys=tuple(dict.fromkeys(t.volume_keys)))
    return out


def studio(c: Context) -> Studio | None:
    s = c.spec.studio
    if s is None:
        return None
    c.ref(s.account, c.spec.accounts, "account", ("studio", "account"))
    return Studio(s.account, tuple(s.access_from), c.entity_span(("studio",)))


def deployment(c: Context, organization: Organization) -> Deployment | None:
    d = c.spec.deployment
    if d is None:
        return None
    p = ("deployment",)
    c.ref(d.source, c.spec.accounts, "account", p + ("source",))
    c.ref(d.stackset_admin, c.spec.accounts, "account", p + ("stackset_admin",))
    c.ref(d.images, c.spec.ecr_repositories, "repository", p + ("images",))
    _bucket_in(c, d.models_bucket, d.source, "source", p + ("models_bucket",))
    targets, ous = _targets(c, organization, d.targets, p + ("targets",))
    if d.permission_model == "service-managed":
        for i, t in enumerate(d.targets):
            if t in c.spec.accounts and c.spec.accounts[t].ou is None:
                c.fail(f"service-managed StackSets deploy to OUs, but target '{t}' has no ou", p + ("targets", i))
    return Deployment(d.source, d.models_bucket, d.images, targets, d.stackset_admin, d.permission_model,
                      c.entity_span(p), ous)


def _bucket_in(c: Context, bucket: str, account: str, what: str, path: Path) -> None:
    """A bucket the section names, which must be declared and live in the section's own account."""
    if c.ref(bucket, c.spec.buckets, "bucket", path):
        owner = c.spec.buckets[bucket].account
        if owner != account:
            c.fail(f"{path[-1]} '{bucket}' is in account '{owner}', not in {what} '{account}'", path)


def _targets(c: Context, organization: Organization, names: list[str], path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Accounts and OUs named as targets, expanded to accounts; each account at most once."""
    known = set(c.spec.accounts) | set(organization.ous)
    covered: dict[str, str] = {}  # account -> the entry that brought it
    ous = []
    for i, name in enumerate(names):
        if not c.ref(name, known, "account or OU", path + (i,)):
            continue
        if name in c.spec.accounts and name in organization.ous:
            c.fail(f"'{name}' names both an OU and an account; rename one", path + (i,))
            continue
        if name in organization.ous:
            ous.append(name)
            members = sorted(a for a, spec in c.spec.accounts.items()
                             if spec.ou in organization.ous and name in organization.ancestry(spec.ou))
            if not members:
                c.fail(f"OU '{name}' has no accounts in this file, so it deploys nowhere", path + (i,))
        else:
            members = [name]
        for account in members:
            if account in covered:
                again = "twice" if covered[account] == name else f"twice ('{covered[account]}' and '{name}')"
                c.fail(f"deployment targets list account '{account}' {again}", path + (i,))
            covered.setdefault(account, name)
    return tuple(covered), tuple(ous)  # in the order the file lists them


def model_registry(c: Context) -> ModelRegistry | None:
    r = c.spec.model_registry
    if r is None:
        return None
    p = ("model_registry",)
    c.ref(r.hub, c.spec.accounts, "account", p + ("hub",))
    c.ref(r.images, c.spec.ecr_repositories, "repository", p + ("images",))
    _bucket_in(c, r.artifacts_bucket, r.hub, "the hub", p + ("artifacts_bucket",))
    groups = {}
    for name, g in r.groups.items():
        gp = p + ("groups", name)
        c.refs(g.spokes, c.spec.accounts, "account", gp + ("spokes",))
        for i, s in enumerate(g.spokes):
            if s == r.hub:
                c.fail(f"the hub '{s}' cannot also be a spoke of group '{name}'", gp + ("spokes", i))
        groups[name] = RegistryGroup(name, tuple(sorted(set(g.spokes))), c.entity_span(gp))
    return ModelRegistry(r.hub, r.pattern, r.artifacts_bucket, r.images, groups, c.entity_span(p))


def _shares(c: Context, share: dict, owner: str, path: Path) -> tuple[Share, ...]:
    out = []
    for account, level in share.items():
        if c.ref(account, c.spec.accounts, "account", path + (account,)) and account == owner:
            c.fail(f"account '{account}' owns this resource and cannot share it with itself", path + (account,))
        out.append(Share(account, level, c.m.key_span(path + (account,))))
    return tuple(sorted(out, key=lambda s: s.account))


def feature_store(c: Context) -> FeatureStore | None:
    f = c.spec.feature_store
    if f is None:
        return None
    p = ("feature_store",)
    c.ref(f.owner, c.spec.accounts, "account", p + ("owner",))
    c.refs(f.discoverable_by, c.spec.accounts, "account", p + ("discoverable_by",))
    groups = {
        n: FeatureGroup(n, _shares(c, g.share, f.owner, p + ("feature_groups", n, "share")),
                        c.entity_span(p + ("feature_groups", n)))
        for n, g in f.feature_groups.items()
    }
    return FeatureStore(f.owner, tuple(sorted(set(f.discoverable_by))), groups, c.entity_span(p))


def pipelines(c: Context) -> dict[str, Pipeline]:
    out = {}
    for name, pl in c.spec.pipelines.items():
        p = ("pipelines", name)
        c.ref(pl.account, c.spec.accounts, "account", p + ("account",))
        out[name] = Pipeline(name, pl.account, _shares(c, pl.share, pl.account, p + ("share",)), c.entity_span(p))
    return out
