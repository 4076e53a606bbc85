"""Keys, buckets and repositories: owned by an account, referring to each other."""

from __future__ import annotations

from policygen.loader.resolve_context import Context
from policygen.model.org import Bucket, Key, Repository


def keys(c: Context) -> dict[str, Key]:
    out = {}
    for name, k in c.spec.keys.items():
        path = ("keys", name)
        c.ref(k.account, c.spec.accounts, "account", path + ("account",))
        admins = tuple(c.role_ref(r, path + ("admins", i)) for i, r in enumerate(k.admins))
        out[name] = Key(name, k.account, k.vpc_only, admins, c.entity_span(path))
    return out


def buckets(c: Context) -> dict[str, Bucket]:
    out, real_names = {}, {}
    for name, b in c.spec.buckets.items():
        path = ("buckets", name)
        c.ref(b.account, c.spec.accounts, "account", path + ("account",))
        if c.ref(b.key, c.spec.keys, "key", path + ("key",)) and c.spec.keys[b.key].account != b.account:
            c.fail(f"key '{b.key}' is in account '{c.spec.keys[b.key].account}'; a bucket's default-encryption "
                   f"key must be in the bucket's account '{b.account}'", path + ("key",))
        if b.name in real_names:
            c.fail(f"bucket name '{b.name}' is used by both '{real_names[b.name]}' and '{name}'", path + ("name",))
        real_names[b.name] = name
        out[name] = Bucket(name, b.name, b.account, b.key, b.vpc_only, b.versioning, c.entity_span(path),
                           access_log_bucket=b.access_log_bucket)
    return out


def repositories(c: Context) -> dict[str, Repository]:
    out = {}
    for name, r in c.spec.ecr_repositories.items():
        path = ("ecr_repositories", name)
        c.ref(r.account, c.spec.accounts, "account", path + ("account",))
        out[name] = Repository(name, r.account, r.immutable_tags, c.entity_span(path), encryption=r.encryption)
    return out
