"""The project's import graph, read from the source (no module is imported).

    .venv/bin/python bench/import_graph.py

Prints the app → app graph (each edge with how many imports make it and one example),
whether it follows ``LAYERS`` (an app imports only apps below it), and the module-level
import cycles. Every static import counts, those inside functions too: a function-level
import hides a cycle from the interpreter, not from the reader. Migrations are left out
(they name models by string and are frozen history), and so are ``tests/`` and ``bench/``,
which sit above everything. ``tests/test_import_graph.py`` asserts the same graph.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first: an app may import the apps before it, never those after it. The project
# package is two layers: its helpers (settings, addresses, site, backups, cache, checks)
# under every app, and its entry points (URLs, ASGI, routing, warm-up) over them all.
LAYERS = [
    "livinglab",
    "ateliers",
    "projets",
    "webhooks",
    "api",
    "frontend",
    "demo",
    "livinglab.entry",
]
PACKAGES = ["livinglab", "ateliers", "projets", "webhooks", "api", "frontend", "demo"]
ENTRY = {
    "livinglab.asgi",
    "livinglab.wsgi",
    "livinglab.urls",
    "livinglab.routing",
    "livinglab.warm",
}
SKIPPED_DIRS = {".venv", "migrations", "tests", "bench", "staticfiles", "node_modules"}


def source_files(root: Path = ROOT, packages=PACKAGES) -> dict[str, Path]:
    """Module name → file, for every Python file of ``packages``."""
    modules = {}
    for app in packages:
        for path in sorted((root / app).rglob("*.py")):
            if SKIPPED_DIRS & set(path.relative_to(root).parts):
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """(imported local module, line) for each static import in ``path``, at any depth.

    ``from x import y`` names the module ``x.y`` when that is a module, else ``x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node)
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:  # ``import a.b.c`` of a non-module c
                target = target.rpartition(".")[0]
            if target and target != module:
                found.append((target, node.lineno))
    return found


def module_graph(root: Path = ROOT, packages=PACKAGES) -> dict[str, dict[str, int]]:
    """Module → {imported module: first line}."""
    files = source_files(root, packages)
    known = set(files)
    graph: dict[str, dict[str, int]] = {}
    for module, path in files.items():
        edges: dict[str, int] = {}
        for target, line in imports_of(module, path, known):
            edges.setdefault(target, line)
        graph[module] = edges
    return graph


def app_of(module: str) -> str:
    return "livinglab.entry" if module in ENTRY else module.split(".", 1)[0]


def app_graph(graph: dict[str, dict[str, int]]) -> dict[tuple[str, str], list[str]]:
    """(app, imported app) → the imports that make the edge (``module:line -> module``)."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for module, targets in sorted(graph.items()):
        for target, line in sorted(targets.items()):
            if app_of(module) != app_of(target):
                edges[(app_of(module), app_of(target))].append(f"{module}:{line} -> {target}")
    return dict(edges)


def upward_edges(edges) -> list[tuple[str, str]]:
    """App edges that import an app listed later in ``LAYERS`` (or one not listed)."""
    rank = {app: i for i, app in enumerate(LAYERS)}
    return sorted(
        (src, dst) for src, dst in edges if rank.get(dst, len(LAYERS)) >= rank.get(src, -1)
    )


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def main() -> int:
    graph = module_graph()
    edges = app_graph(graph)
    print(f"{len(graph)} modules in {len(LAYERS)} layers, lowest first:")
    print("  " + " <- ".join(LAYERS))
    print("\napp -> app (imports, first example):")
    for (src, dst), lines in sorted(edges.items()):
        print(f"  {src:>15} -> {dst:<15} {len(lines):4}  {lines[0]}")
    upward = upward_edges(edges)
    print("\nagainst the layers:" if upward else "\nagainst the layers: none")
    for src, dst in upward:
        for line in edges[(src, dst)]:
            print(f"  {line}")
    found = cycles(graph)
    print("\nmodule import cycles:" if found else "\nmodule import cycles: none")
    for component in found:
        print("  " + " <-> ".join(component))
    return 1 if upward or found else 0


if __name__ == "__main__":
    sys.exit(main())
