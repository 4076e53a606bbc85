"""Editors show help on hover: every property of the published JSON Schema has a description."""

from __future__ import annotations

import json

from policygen.cli.main import main


def properties(node, where="#"):
    """Every (path, property schema) under any `properties` of the schema, however deeply nested."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}/{name}", sub
        for key, sub in node.items():
            yield from properties(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from properties(sub, f"{where}/{i}")


def test_every_property_has_a_description(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    found = dict(properties(schema))
    assert len(found) >= 91
    missing = sorted(path for path, sub in found.items() if not str(sub.get("description", "")).strip())
    assert not missing, f"{len(missing)} of {len(found)} properties without a description: {missing}"
