"""Imports point down the layers, imports inside functions included (they hide cycles otherwise).

    model -> errors, progress -> parallel -> parse -> iamdb, checks -> policydoc -> loader -> generate -> ingest
          -> access -> lint -> report -> cli

A package may import itself and any package below it; nothing above, nothing beside.
Rules (the `rules` package) sit on top of lint and are loaded by the engine at run time,
never imported by policygen.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDER = [("model", "data"), ("errors", "progress", "cycles"), ("parallel",), ("parse",), ("iamdb", "checks"), ("policydoc",), ("loader",), ("generate",),
         ("ingest",), ("access",), ("lint",), ("report",), ("cli",), ("__main__", "__init__")]
RANK = {name: rank for rank, names in enumerate(ORDER) for name in names}


def _package_of(path: Path, root: Path) -> str:
    return path.relative_to(root / "policygen").with_suffix("").parts[0]


def _imported(path: Path, root: Path = ROOT) -> list[tuple[str, int]]:
    """(policygen subpackage or 'rules', line) for every import in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = path.relative_to(root).with_suffix("").parts
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(parts[: len(parts) - node.level])
                names = [".".join(base + ([node.module] if node.module else []))]
            else:
                names = [node.module or ""]
            if names == ["policygen"]:  # from policygen import __version__: the package's own metadata
                continue
        else:
            continue
        for name in names:
            head = name.split(".")
            if head[0] == "policygen" and len(head) > 1:
                out.append((head[1], node.lineno))
            elif head[0] == "rules":
                out.append(("rules", node.lineno))
    return out


def _violations(root: Path = ROOT) -> list[str]:
    problems = []
    for path in sorted((root / "policygen").rglob("*.py")):
        here, shown = _package_of(path, root), path.relative_to(root).as_posix()
        assert here in RANK, f"{shown}: package '{here}' has no place in the layer order; add it to ORDER"
        for target, line in _imported(path, root):
            if target == "rules":
                problems.append(f"{shown}:{line}: imports the rules package (the engine loads rules at run time)")
            elif target != here and (target not in RANK or RANK[target] >= RANK[here]):
                problems.append(f"{shown}:{line}: {here} imports {target}, which is not below it")
    return problems


def test_every_import_points_down_the_layers():
    assert _violations() == []


def test_rules_use_the_layers_below_them_only():
    for path in sorted((ROOT / "rules").rglob("*.py")):
        for target, line in _imported(path):
            assert target not in ("cli", "report"), f"{path.relative_to(ROOT)}:{line}: a rule imports {target}"


def test_the_check_sees_an_upward_import_inside_a_function(tmp_path):
    """The test above can fail: an access module importing the linter, inside a function, is reported."""
    (tmp_path / "policygen" / "access").mkdir(parents=True)
    (tmp_path / "policygen" / "access" / "x.py").write_text("def f():\n    from policygen.lint.rule import Rule\n")
    (tmp_path / "policygen" / "model").mkdir()
    (tmp_path / "policygen" / "model" / "y.py").write_text("from ..access import x\n")
    assert _violations(tmp_path) == ["policygen/access/x.py:2: access imports lint, which is not below it",
                                     "policygen/model/y.py:1: model imports access, which is not below it"]


@pytest.mark.parametrize("package", sorted({p for names in ORDER for p in names} - {"__main__", "__init__"}))
def test_every_layer_exists(package):
    assert (ROOT / "policygen" / package).exists() or (ROOT / "policygen" / f"{package}.py").exists()
