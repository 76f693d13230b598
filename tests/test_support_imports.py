"""Issue 15: helpers that tests share live in ``tests/helpers.py`` (and builders in
``tests/factories.py``); a ``conftest.py`` holds fixtures only and no module imports from
one (pytest hands fixtures over by name)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def conftest_imports(source: str) -> list[str]:
    """The modules named ``conftest`` that ``source`` imports from."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [name for name in names if "conftest" in name.split(".")]
    return found


def test_no_module_imports_from_a_conftest():
    offenders = {
        str(path.relative_to(TESTS.parent)): conftest_imports(path.read_text(encoding="utf-8"))
        for path in sorted(TESTS.rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_rule_sees_each_way_of_importing_a_conftest():
    for line in (
        "from tests.conftest import organizer",
        "from tests.api.conftest import cast",
        "from .conftest import event",
        "from . import conftest",
        "import tests.conftest",
    ):
        assert conftest_imports(line), line
    assert not conftest_imports("from tests.helpers import token_client")
