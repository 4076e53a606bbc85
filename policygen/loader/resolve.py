"""From the validated file to the resolved model: check every reference, keep every span.

One module per group of sections (resolve_org, resolve_resources, resolve_workloads,
resolve_access); they share a Context that collects every problem, so a file with several
mistakes reports them all at once.
"""

from __future__ import annotations

from dataclasses import replace

from policygen.errors import InputError
from policygen.loader import resolve_access, resolve_org, resolve_resources, resolve_workloads
from policygen.loader.resolve_context import Context
from policygen.loader.schema import OrgFile
from policygen.model.org import Org
from policygen.parse.marked import Marked

__all__ = ["resolve"]


def resolve(spec: OrgFile, marked: Marked) -> Org:
    c = Context(spec, marked)
    organization = resolve_org.organization(c)
    org = Org(
        file=marked.file,
        organization=organization,
        accounts=resolve_org.accounts(c),
        keys=resolve_resources.keys(c),
        buckets=resolve_resources.buckets(c),
        repositories=resolve_resources.repositories(c),
        teams=resolve_workloads.teams(c),
        studio=resolve_workloads.studio(c),
        deployment=resolve_workloads.deployment(c, organization),
        model_registry=resolve_workloads.model_registry(c),
        feature_store=resolve_workloads.feature_store(c),
        pipelines=resolve_workloads.pipelines(c),
        guardrails=resolve_access.guardrails(c),
        roles=resolve_access.roles(c),
        grants=resolve_access.grants(c),
    )
    role_uses = resolve_access.role_uses(c, org)
    if c.problems:
        raise InputError(c.problems)
    # Whether a named role exists is decided by the planner, which alone knows the generated roles.
    return replace(org, role_uses=role_uses)
