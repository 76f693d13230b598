"""Issue 15: the apps import one way and no module imports itself back.

The graph is read from the source by ``bench/import_graph.py`` (run it to see the edges):
every static import counts, those inside functions too. ``ateliers`` is the domain core
and never imports ``projets``, ``webhooks``, ``api``, ``frontend`` or ``demo``; an app
that needs to hear from a lower one subscribes (``ateliers/outbound.py``) or registers its
part (``ateliers/reports/event.py``'s ``add_part``) from its ``AppConfig.ready()``."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("import_graph", ROOT / "bench" / "import_graph.py")
import_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_graph)

ALLOWED_CYCLES: list[list[str]] = []


def test_every_app_of_the_project_has_its_layer():
    local = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench"}
    }
    assert local == set(import_graph.PACKAGES)
    installed = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    assert local - {"livinglab"} <= installed
    assert set(import_graph.PACKAGES) <= set(import_graph.LAYERS)


def test_apps_import_only_the_apps_below_them():
    edges = import_graph.app_graph(import_graph.module_graph())
    upward = {(src, dst): edges[(src, dst)] for src, dst in import_graph.upward_edges(edges)}
    assert upward == {}
    assert not any(src == "ateliers" and dst != "livinglab" for src, dst in edges)
    # the graph was read: the apps above do use the core
    assert {("projets", "ateliers"), ("api", "projets"), ("demo", "projets")} <= set(edges)


def test_no_module_import_cycles():
    found = import_graph.cycles(import_graph.module_graph())
    assert [c for c in found if c not in ALLOWED_CYCLES] == []


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_reader_sees_imports_inside_functions_and_relative_cycles(tmp_path):
    _write(
        tmp_path,
        {
            "ateliers/__init__.py": "",
            "ateliers/services/__init__.py": "",
            "ateliers/services/a.py": "from . import b\n",
            "ateliers/services/b.py": "def f():\n    from .a import thing\n",
            "ateliers/reports.py": "def g():\n    from projets.models import Project\n",
            "ateliers/migrations/0001_initial.py": "import projets.models\n",
            "projets/__init__.py": "",
            "projets/models.py": "from ateliers.services import a\n",
        },
    )
    graph = import_graph.module_graph(tmp_path, ["ateliers", "projets"])
    assert graph["ateliers.reports"] == {"projets.models": 2}
    assert "ateliers.migrations.0001_initial" not in graph
    edges = import_graph.app_graph(graph)
    assert import_graph.upward_edges(edges) == [("ateliers", "projets")]
    assert import_graph.cycles(graph) == [["ateliers.services.a", "ateliers.services.b"]]
