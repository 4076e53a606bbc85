"""Serialise emissions: JSON documents, and CloudFormation YAML through the Jinja2 blueprints."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from policygen import __version__
from policygen.generate import json_emit
from policygen.generate.arns import CfnToken
from policygen.generate.emit import CfnResource
from policygen.generate.yaml_emit import emit, scalar


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("blueprints", "cfn"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not HTML; scalars are quoted by the emitter
    )
    env.filters["yaml"] = lambda value, indent=0: emit(value, indent)
    env.filters["scalar"] = scalar
    return env


def cfn_values(value):
    """Replace values only CloudFormation knows (key ARNs) by their intrinsic functions."""
    if isinstance(value, CfnToken):
        return value.cfn
    if isinstance(value, dict):
        return {k: cfn_values(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [cfn_values(v) for v in value]
    return value


def json_bytes(data) -> bytes:
    return (json_emit.dumps(data, ensure_ascii=False) + "\n").encode()  # json.dumps(indent=2)'s bytes


def resource_body(res: CfnResource) -> dict:
    body: dict = {"Type": res.type}
    if res.depends_on:
        body["DependsOn"] = list(res.depends_on)
    if res.retain:
        body["DeletionPolicy"] = "Retain"
        body["UpdateReplacePolicy"] = "Retain"
    # The org-file path, not its line: a comment or a reordered section must not change a deployed template
    # (every stack and StackSet instance would get a no-op update). The manifest keeps the line.
    body["Metadata"] = {"policygen": {"source": res.source.path or "(organization file)"}}
    body["Properties"] = cfn_values(res.properties)
    return body


def render_template(blueprint: str, resources: list[CfnResource], **context) -> str:
    rows = [{"logical_id": r.logical_id, "comment": r.comment, "body": resource_body(r)}
            for r in sorted(resources, key=lambda r: r.logical_id)]
    return environment().get_template(blueprint).render(resources=rows, version=__version__, **context)
