"""The package import graph of policygen/: every import between subpackages, imports inside functions
included, with the count of each edge and any cycle. tests/layers/test_import_direction.py keeps the
direction; this prints the picture (issue 9's before and after).

    python benchmarks/import_graph.py [FOLDER]
"""

from __future__ import annotations

import ast
import collections
import sys
from pathlib import Path


def package_of(root: Path, path: Path) -> str:
    return path.relative_to(root).parts[0].removesuffix(".py")


def edges(root: Path) -> collections.Counter:
    found: collections.Counter = collections.Counter()
    for path in sorted(root.rglob("*.py")):
        source = package_of(root, path)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] == "policygen" and len(parts) > 1 and parts[1] != source and source != "__main__":
                    found[(source, parts[1])] += 1
    return found


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()

    def walk(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycle = path[path.index(nxt):]
                start = cycle.index(min(cycle))
                out.add(tuple(cycle[start:] + cycle[:start]))
            elif len(path) < 20:
                walk(nxt, path + [nxt])

    for node in sorted(graph):
        walk(node, [node])
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else Path(__file__).parents[1] / "policygen")
    found = edges(root)
    graph: dict[str, set[str]] = collections.defaultdict(set)
    for (a, b), count in sorted(found.items()):
        graph[a].add(b)
        print(f"{a} -> {b} ({count})")
    loops = cycles(graph)
    print(f"{len(found)} edges; cycles: {', '.join(' -> '.join(c) for c in sorted(loops)) if loops else 'none'}")
    return 1 if loops else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
