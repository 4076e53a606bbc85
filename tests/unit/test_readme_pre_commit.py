"""The README's .pre-commit-config.yaml snippet names hooks that exist and the version this is."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_the_snippet_is_ready_to_use():
    readme = (ROOT / "README.md").read_text()
    [snippet] = [block for block in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "rev:" in block]
    [repo] = yaml.safe_load(snippet)["repos"]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert repo["rev"] == f"v{version}"
    offered = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert {hook["id"] for hook in repo["hooks"]} == offered == {"policygen-lint", "policygen-build-fresh"}
