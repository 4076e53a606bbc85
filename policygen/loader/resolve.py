"""From the validated file to the resolved model: check every reference, keep every span."""

from __future__ import annotations

from policygen.errors import InputError, Problem
from policygen.loader.diagnose import suggest
from policygen.parse.marked import Marked, Path
from policygen.loader.schema import OrgFile
from policygen.model import names
from policygen.model.org import (
    Account, Bucket, Deployment, FeatureGroup, FeatureStore, Grant, Guardrails, Key, ModelRegistry,
    Network, Org, Organization, OrgUnit, Pipeline, RegistryGroup, Repository, ResourceRef, Role,
    RoleRef, Share, Studio, Team, TEAM_ACTIVITIES,
)


class _Resolver:
    def __init__(self, spec: OrgFile, marked: Marked):
        self.spec = spec
        self.m = marked
        self.problems: list[Problem] = []

    # -- helpers -----------------------------------------------------------------
    def fail(self, message: str, path: Path) -> None:
        self.problems.append(Problem(message, self.m.span(path)))

    def ref(self, value: str, known, what: str, path: Path) -> bool:
        if value in known:
            return True
        listing = ", ".join(sorted(known)) or "none"
        self.fail(f"unknown {what} '{value}'{suggest(value, known)} (known {what}s: {listing})", path)
        return False

    def refs(self, values, known, what: str, path: Path) -> None:
        for i, value in enumerate(values):
            self.ref(value, known, what, path + (i,))

    def entity_span(self, path: Path):
        return self.m.key_span(path)

    # -- sections ----------------------------------------------------------------
    def organization(self) -> Organization:
        o = self.spec.organization
        self.ref(o.management_account, self.spec.accounts, "account", ("organization", "management_account"))
        if o.home_region not in o.regions:
            self.fail(f"home_region '{o.home_region}' is not in regions {o.regions}", ("organization", "home_region"))
        ous = {n: OrgUnit(n, i, self.entity_span(("organization", "ous", n))) for n, i in o.ous.items()}
        return Organization(o.id, o.partition, o.home_region, tuple(o.regions), o.management_account, ous,
                            self.entity_span(("organization",)))

    def accounts(self) -> dict[str, Account]:
        seen_ids: dict[str, str] = {}
        out = {}
        for name, a in self.spec.accounts.items():
            path = ("accounts", name)
            if a.ou is not None:
                self.ref(a.ou, self.spec.organization.ous, "OU", path + ("ou",))
            if a.id in seen_ids:
                self.fail(f"account id {a.id} is used by both '{seen_ids[a.id]}' and '{name}'", path + ("id",))
            seen_ids[a.id] = name
            network = None
            if a.network is not None:
                spans = {s: self.m.span(path + ("network", "endpoints", s)) for s in a.network.endpoints}
                network = Network(a.network.vpc, tuple(a.network.private_cidrs), dict(a.network.endpoints), spans)
            out[name] = Account(name, a.id, a.stage, a.ou, network, self.entity_span(path))
        return out

    def keys(self) -> dict[str, Key]:
        out = {}
        for name, k in self.spec.keys.items():
            path = ("keys", name)
            self.ref(k.account, self.spec.accounts, "account", path + ("account",))
            out[name] = Key(name, k.account, k.vpc_only, tuple(self.role_ref(r, path + ("admins", i)) for i, r in enumerate(k.admins)),
                            self.entity_span(path))
        return out

    def buckets(self) -> dict[str, Bucket]:
        out, real_names = {}, {}
        for name, b in self.spec.buckets.items():
            path = ("buckets", name)
            self.ref(b.account, self.spec.accounts, "account", path + ("account",))
            if self.ref(b.key, self.spec.keys, "key", path + ("key",)) and self.spec.keys[b.key].account != b.account:
                self.fail(f"key '{b.key}' is in account '{self.spec.keys[b.key].account}'; a bucket's default-encryption "
                          f"key must be in the bucket's account '{b.account}'", path + ("key",))
            if b.name in real_names:
                self.fail(f"bucket name '{b.name}' is used by both '{real_names[b.name]}' and '{name}'", path + ("name",))
            real_names[b.name] = name
            out[name] = Bucket(name, b.name, b.account, b.key, b.vpc_only, b.versioning, self.entity_span(path),
                               access_log_bucket=b.access_log_bucket)
        return out

    def repositories(self) -> dict[str, Repository]:
        out = {}
        for name, r in self.spec.ecr_repositories.items():
            path = ("ecr_repositories", name)
            self.ref(r.account, self.spec.accounts, "account", path + ("account",))
            out[name] = Repository(name, r.account, r.immutable_tags, self.entity_span(path), encryption=r.encryption)
        return out

    def teams(self) -> dict[str, Team]:
        out = {}
        for name, t in self.spec.teams.items():
            path = ("teams", name)
            self.ref(t.account, self.spec.accounts, "account", path + ("account",))
            self.refs(t.read, self.spec.buckets, "bucket", path + ("read",))
            self.refs(t.write, self.spec.buckets, "bucket", path + ("write",))
            self.refs(t.images, self.spec.ecr_repositories, "repository", path + ("images",))
            spans = {f"read/{b}": self.m.span(path + ("read", i)) for i, b in enumerate(t.read)}
            spans |= {f"write/{b}": self.m.span(path + ("write", i)) for i, b in enumerate(t.write)}
            spans |= {f"images/{r}": self.m.span(path + ("images", i)) for i, r in enumerate(t.images)}
            activities = tuple(dict.fromkeys(t.activities)) if t.activities is not None else TEAM_ACTIVITIES
            out[name] = Team(name, t.account, tuple(t.read), tuple(t.write), self.entity_span(path), spans,
                             images=tuple(t.images), activities=activities)
        return out

    def studio(self) -> Studio | None:
        s = self.spec.studio
        if s is None:
            return None
        self.ref(s.account, self.spec.accounts, "account", ("studio", "account"))
        return Studio(s.account, tuple(s.access_from), self.entity_span(("studio",)))

    def deployment(self) -> Deployment | None:
        d = self.spec.deployment
        if d is None:
            return None
        p = ("deployment",)
        self.ref(d.source, self.spec.accounts, "account", p + ("source",))
        self.refs(d.targets, self.spec.accounts, "account", p + ("targets",))
        self.ref(d.stackset_admin, self.spec.accounts, "account", p + ("stackset_admin",))
        self.ref(d.images, self.spec.ecr_repositories, "repository", p + ("images",))
        if self.ref(d.models_bucket, self.spec.buckets, "bucket", p + ("models_bucket",)):
            owner = self.spec.buckets[d.models_bucket].account
            if owner != d.source:
                self.fail(f"models_bucket '{d.models_bucket}' is in account '{owner}', not in source '{d.source}'", p + ("models_bucket",))
        if len(set(d.targets)) != len(d.targets):
            self.fail("deployment targets list an account twice", p + ("targets",))
        if d.permission_model == "service-managed":
            for i, t in enumerate(d.targets):
                if t in self.spec.accounts and self.spec.accounts[t].ou is None:
                    self.fail(f"service-managed StackSets deploy to OUs, but target '{t}' has no ou", p + ("targets", i))
        return Deployment(d.source, d.models_bucket, d.images, tuple(d.targets), d.stackset_admin,
                          d.permission_model, self.entity_span(p))

    def model_registry(self) -> ModelRegistry | None:
        r = self.spec.model_registry
        if r is None:
            return None
        p = ("model_registry",)
        self.ref(r.hub, self.spec.accounts, "account", p + ("hub",))
        self.ref(r.images, self.spec.ecr_repositories, "repository", p + ("images",))
        if self.ref(r.artifacts_bucket, self.spec.buckets, "bucket", p + ("artifacts_bucket",)):
            owner = self.spec.buckets[r.artifacts_bucket].account
            if owner != r.hub:
                self.fail(f"artifacts_bucket '{r.artifacts_bucket}' is in account '{owner}', not in the hub '{r.hub}'", p + ("artifacts_bucket",))
        groups = {}
        for name, g in r.groups.items():
            gp = p + ("groups", name)
            self.refs(g.spokes, self.spec.accounts, "account", gp + ("spokes",))
            for i, s in enumerate(g.spokes):
                if s == r.hub:
                    self.fail(f"the hub '{s}' cannot also be a spoke of group '{name}'", gp + ("spokes", i))
            groups[name] = RegistryGroup(name, tuple(sorted(set(g.spokes))), self.entity_span(gp))
        return ModelRegistry(r.hub, r.pattern, r.artifacts_bucket, r.images, groups, self.entity_span(p))

    def shares(self, share: dict, owner: str, path: Path) -> tuple[Share, ...]:
        out = []
        for account, level in share.items():
            if self.ref(account, self.spec.accounts, "account", path + (account,)) and account == owner:
                self.fail(f"account '{account}' owns this resource and cannot share it with itself", path + (account,))
            out.append(Share(account, level, self.m.key_span(path + (account,))))
        return tuple(sorted(out, key=lambda s: s.account))

    def feature_store(self) -> FeatureStore | None:
        f = self.spec.feature_store
        if f is None:
            return None
        p = ("feature_store",)
        self.ref(f.owner, self.spec.accounts, "account", p + ("owner",))
        self.refs(f.discoverable_by, self.spec.accounts, "account", p + ("discoverable_by",))
        groups = {
            n: FeatureGroup(n, self.shares(g.share, f.owner, p + ("feature_groups", n, "share")),
                            self.entity_span(p + ("feature_groups", n)))
            for n, g in f.feature_groups.items()
        }
        return FeatureStore(f.owner, tuple(sorted(set(f.discoverable_by))), groups, self.entity_span(p))

    def pipelines(self) -> dict[str, Pipeline]:
        out = {}
        for name, pl in self.spec.pipelines.items():
            p = ("pipelines", name)
            self.ref(pl.account, self.spec.accounts, "account", p + ("account",))
            out[name] = Pipeline(name, pl.account, self.shares(pl.share, pl.account, p + ("share",)), self.entity_span(p))
        return out

    def guardrails(self) -> Guardrails | None:
        g = self.spec.guardrails
        if g is None:
            return None
        p = ("guardrails",)
        targets = set(self.spec.organization.ous) | set(self.spec.accounts)
        for i, t in enumerate(g.attach_to):
            if not self.ref(t, targets, "OU or account", p + ("attach_to", i)):
                continue
            if t in self.spec.organization.ous and t in self.spec.accounts:
                self.fail(f"'{t}' names both an OU and an account; rename one", p + ("attach_to", i))
            if t == self.spec.organization.management_account:
                self.fail("SCPs never apply to the management account; attach guardrails to OUs or member accounts", p + ("attach_to", i))
        flags = ("require_vpc_for_sagemaker_jobs", "require_volume_encryption", "deny_regions_outside_allowed",
                 "studio_access_from", "break_glass_roles")
        spans = {f: self.m.key_span(p + (f,)) for f in flags if p + (f,) in self.m.keys}
        return Guardrails(tuple(g.attach_to), g.require_vpc_for_sagemaker_jobs, g.require_volume_encryption,
                          g.deny_regions_outside_allowed, tuple(g.studio_access_from), self.entity_span(p), spans,
                          break_glass_roles=tuple(g.break_glass_roles))

    def roles(self) -> dict[str, Role]:
        out = {}
        for name, r in self.spec.roles.items():
            p = ("roles", name)
            self.ref(r.account, self.spec.accounts, "account", p + ("account",))
            if not r.trusted_services and not r.trusted_roles:
                self.fail(f"role '{name}' trusts nobody: give trusted_services or trusted_roles", p)
            trusted = tuple(self.role_ref(t, p + ("trusted_roles", i)) for i, t in enumerate(r.trusted_roles))
            out[name] = Role(name, r.account, tuple(sorted(set(r.trusted_services))), trusted, self.entity_span(p))
        return out

    # -- references that need the generated role names --------------------------
    def role_ref(self, text: str, path: Path) -> RoleRef:
        account, _, name = text.split("/", 2)
        ref = RoleRef(account, name)
        self._pending_roles.append((ref, path))
        return ref

    def check_role_refs(self, org: Org) -> None:
        generated = generated_roles(org)
        for role in org.roles.values():
            if (role.account, role.name) in generated:
                self.fail(f"role '{role.name}' in {role.account} clashes with a role policygen generates", ("roles", role.name))
        known = generated | {(r.account, r.name) for r in org.roles.values()}
        for ref, path in self._pending_roles:
            if ref.account not in org.accounts:
                self.ref(ref.account, org.accounts, "account", path)
            elif (ref.account, ref.name) not in known:
                here = sorted(n for a, n in known if a == ref.account)
                self.fail(f"unknown role '{ref}'{suggest(ref.name, here)} (roles in {ref.account}: {', '.join(here) or 'none'})", path)

    def grants(self) -> tuple[Grant, ...]:
        out = []
        for i, g in enumerate(self.spec.grants):
            p = ("grants", i)
            principal = self.role_ref(g.principal, p + ("principal",))
            kind, _, name = g.resource.partition("/")
            known = {
                "bucket": self.spec.buckets,
                "key": self.spec.keys,
                "repository": self.spec.ecr_repositories,
                "model-package-group": self.spec.model_registry.groups if self.spec.model_registry else {},
            }.get(kind)
            if known is None:
                self.fail(f"a grant's resource must be a bucket, key, repository or model-package-group, not '{kind}'", p + ("resource",))
            else:
                self.ref(name, known, kind, p + ("resource",))
            out.append(Grant(principal, ResourceRef(kind, name), g.access, g.why, self.m.span(p)))
        return tuple(out)

    def run(self, file: str) -> Org:
        self._pending_roles: list[tuple[RoleRef, Path]] = []
        org = Org(
            file=file,
            organization=self.organization(),
            accounts=self.accounts(),
            keys=self.keys(),
            buckets=self.buckets(),
            repositories=self.repositories(),
            teams=self.teams(),
            studio=self.studio(),
            deployment=self.deployment(),
            model_registry=self.model_registry(),
            feature_store=self.feature_store(),
            pipelines=self.pipelines(),
            guardrails=self.guardrails(),
            roles=self.roles(),
            grants=self.grants(),
        )
        if not self.problems:  # role names are only meaningful once accounts resolve
            self.check_role_refs(org)
        if self.problems:
            raise InputError(self.problems)
        return org


def generated_roles(org: Org) -> set[tuple[str, str]]:
    """(account, role name) of every role policygen generates for this organization."""
    out = {(t.account, names.team_role(t.name)) for t in org.teams.values()}
    if org.studio:
        out.add((org.studio.account, names.STUDIO_PRESIGNED_URL_ROLE))
    if org.deployment:
        out |= {(t, names.MODEL_EXECUTION_ROLE) for t in org.deployment.targets}
        if org.deployment.permission_model == "self-managed":
            out.add((org.deployment.stackset_admin, names.STACKSET_ADMIN_ROLE))
            out |= {(t, names.STACKSET_EXECUTION_ROLE) for t in org.deployment.targets}
    if org.model_registry:
        r = org.model_registry
        if r.pattern == "push":
            out.add((r.hub, names.REGISTRY_ROLE))
            out |= {(s, names.REGISTRY_PUBLISHER_ROLE) for s in r.spokes}
        else:
            out.add((r.hub, names.REGISTRY_SYNC_ROLE))
            out |= {(s, names.REGISTRY_FORWARDER_ROLE) for s in r.spokes}
    return out


def resolve(spec: OrgFile, marked: Marked) -> Org:
    return _Resolver(spec, marked).run(marked.file)
