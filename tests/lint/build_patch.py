"""A fresh build of the packaged reference organization, with a few hand edits: the fixture form of
cross-account rules that need the organization's declared accesses."""

from __future__ import annotations

import json
from pathlib import Path

from policygen.generate.build import build_text
from policygen.generate.writer import write_build
from tests.conftest import PACKAGED_REFERENCE
from tests.lint import template_edit


def patched_build(spec: dict, tmp_path: Path) -> Path:
    out = tmp_path / "build"
    text = PACKAGED_REFERENCE.read_text()
    for old, new in spec.get("org_replace") or []:  # a variant of the reference organization
        assert old in text, old
        text = text.replace(old, new)
    write_build(build_text(text, "reference-org.yaml", out).files, out)
    for edit in spec.get("template_edits") or []:  # what deploys: the account templates
        path = out / edit["template"]
        text = path.read_text()
        if "drop_statement" in edit:
            text = template_edit.drop_statement(text, edit["resource"], edit["drop_statement"])
        if "set_condition" in edit:
            c = edit["set_condition"]
            text = template_edit.set_condition(text, edit["resource"], c["sid"], c["operator"], c["key"], c["value"])
        path.write_text(text)
    for edit in spec.get("edits") or []:
        path = out / edit["file"]
        policy = json.loads(path.read_text())
        statements = policy["Statement"]
        if "drop_statement" in edit:
            policy["Statement"] = [s for s in statements if s.get("Sid") != edit["drop_statement"]]
        if "drop_condition" in edit:
            for s in statements:
                if s.get("Sid") == edit["drop_condition"]["sid"]:
                    s.get("Condition", {}).get(edit["drop_condition"]["operator"], {}).pop(edit["drop_condition"]["key"])
        if "set_condition" in edit:
            change = edit["set_condition"]
            for s in statements:
                if s.get("Sid") == change["sid"]:
                    s.setdefault("Condition", {}).setdefault(change["operator"], {})[change["key"]] = change["value"]
        path.write_text(json.dumps(policy, indent=2) + "\n")
    return out
