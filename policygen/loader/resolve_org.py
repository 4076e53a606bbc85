"""The organization section (root, OUs and their nesting) and the accounts."""

from __future__ import annotations

from policygen.loader.resolve_context import Context
from policygen.loader.schema import OuSpec
from policygen.model.org import Account, Network, Organization, OrgUnit


def organization(c: Context) -> Organization:
    o = c.spec.organization
    p = ("organization",)
    c.ref(o.management_account, c.spec.accounts, "account", p + ("management_account",))
    if o.home_region not in o.regions:
        c.fail(f"home_region '{o.home_region}' is not in regions {o.regions}", p + ("home_region",))
    ous = {}
    for name, entry in o.ous.items():
        spec = entry if isinstance(entry, OuSpec) else OuSpec(id=entry)
        ous[name] = OrgUnit(name, spec.id, c.entity_span(p + ("ous", name)), spec.parent)
    _check_ou_tree(c, ous)
    return Organization(o.id, o.partition, o.home_region, tuple(o.regions), o.management_account, ous,
                        c.entity_span(p), o.root)


def _check_ou_tree(c: Context, ous: dict[str, OrgUnit]) -> None:
    p = ("organization", "ous")
    ids: dict[str, str] = {}
    for name, ou in ous.items():
        if ou.id in ids:
            c.fail(f"OU id {ou.id} is used by both '{ids[ou.id]}' and '{name}'", p + (name,))
        ids[ou.id] = name
        if ou.parent is not None and not c.ref(ou.parent, ous, "OU", p + (name, "parent")):
            continue
    for name in ous:  # a parent chain must reach the root
        seen, at = [name], ous[name].parent
        while at is not None and at in ous:
            if at in seen:
                c.fail(f"OU '{name}' is its own ancestor ({' -> '.join(seen + [at])}); an OU tree has no cycles",
                       p + (name, "parent"))
                ous[name] = OrgUnit(name, ous[name].id, ous[name].span, None)  # keep later checks finite
                break
            seen.append(at)
            at = ous[at].parent
        else:
            if at is not None:  # unknown parent, reported above
                ous[name] = OrgUnit(name, ous[name].id, ous[name].span, None)


def accounts(c: Context) -> dict[str, Account]:
    seen_ids: dict[str, str] = {}
    out = {}
    for name, a in c.spec.accounts.items():
        path = ("accounts", name)
        if a.ou is not None:
            c.ref(a.ou, c.spec.organization.ous, "OU", path + ("ou",))
        if a.id in seen_ids:
            c.fail(f"account id {a.id} is used by both '{seen_ids[a.id]}' and '{name}'", path + ("id",))
        seen_ids[a.id] = name
        network = None
        if a.network is not None:
            spans = {s: c.m.span(path + ("network", "endpoints", s)) for s in a.network.endpoints}
            network = Network(a.network.vpc, tuple(a.network.private_cidrs), dict(a.network.endpoints), spans)
        out[name] = Account(name, a.id, a.stage, a.ou, network, c.entity_span(path))
    return out
