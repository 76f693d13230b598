"""Services are the only write path: no ORM write outside them.

An AST scan of the project's Python (not the virtualenv, tests, migrations, benches or
the demo) for the calls that write rows — ``save``, ``delete``, ``create``, ``update``,
``bulk_create``, ``bulk_update``, ``get_or_create``, ``update_or_create`` — outside
``*/services/*.py``, ``*/services.py`` and ``ateliers/realtime/`` (the board log and the
notification writer). A view that does ``Idea.objects.create(...)`` fails this test; call
a service instead (STYLE.md, "Domain writes in services").

The ORM's write methods take keyword arguments only (``bulk_*`` take a list), so a call
with positional arguments (``context.update(other)``, ``image.save(buffer)``,
``self.delete(actor, obj)``), ``save(commit=False)``, calls on ``super()`` and
``.update(...)`` on a template's ``context`` or a form's ``initial`` are not writes.
What is left and still allowed is in ``ALLOWED``, each with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WRITES = frozenset(
    {
        "save",
        "delete",
        "create",
        "update",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
    }
)
LIST_ARGUMENT = frozenset({"bulk_create", "bulk_update"})
# Dicts by name across the views: a template's context and a form's initial data.
DICT_NAMES = frozenset({"context", "initial"})

SKIPPED_DIRS = frozenset(
    {".venv", "venv", "node_modules", ".git", "tests", "migrations", "bench", "demo"}
)
# The demo's old homes, until the demo app (which calls the services) replaces them.
SKIPPED_FILES = frozenset(
    {
        "ateliers/demo.py",
        "ateliers/demo_board.py",
        "ateliers/demo_help.py",
        "ateliers/demo_hooks.py",
        "ateliers/schedule/demo.py",
        "projets/demo.py",
    }
)

# (file name, enclosing function, call) → why this write may stay outside a service. By
# file name, not path, so a module moved to another app keeps its allowance.
ALLOWED: dict[tuple[str, str, str], str] = {
    (
        "admin_access.py",
        "ensure_organizers_group",
        "Group.objects.get_or_create",
    ): "the admin's own auth group, set up after migrate (django.contrib.auth, not a domain model)",
    (
        "datapackage.py",
        "_org",
        "Organization.objects.create",
    ): "the Data Package import restores an archived event as it was (timestamps, vote "
    "counts, phases), all or nothing, like loaddata: no service may write history",
    **{
        ("datapackage.py", "import_event_package", call): (
            "the Data Package import restores an archived event as it was (see _org)"
        )
        for call in (
            "event.save",
            "Theme.objects.create",
            "TimeSlot.objects.create",
            "Participant.objects.create",
            "Idea.objects.create",
            "Idea.objects.filter(pk=idea.pk).update",
            "Project.objects.create",
            "Project.objects.filter(pk=project.pk).update",
            "PhaseTransition.objects.create",
            "Milestone.objects.create",
            "Indicator.objects.create",
            "IndicatorValue.objects.create",
            "Indicator.objects.filter(pk=indicator.pk).update",
        )
    },
}
# Writes that another part of issue 15 takes away (the notification writers move to
# ateliers/realtime/notifications.py): allowed until then, and not required to exist.
MOVING: dict[tuple[str, str, str], str] = {}


def _key(rel: str, function: str, call: str) -> tuple[str, str, str]:
    return (Path(rel).name, function, call)


def _skipped(rel: Path) -> bool:
    return bool(SKIPPED_DIRS & set(rel.parts[:-1])) or rel.as_posix() in SKIPPED_FILES


def _in_services(rel: str) -> bool:
    return (
        rel.endswith("/services.py") or "/services/" in rel or rel.startswith("ateliers/realtime/")
    )


def _is_write(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in WRITES:
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call) and ast.unparse(receiver.func) == "super":
        return False
    if call.args and func.attr not in LIST_ARGUMENT:
        return False
    if isinstance(receiver, ast.Name) and receiver.id in DICT_NAMES:
        return False
    for keyword in call.keywords:
        if keyword.arg == "commit" and ast.unparse(keyword.value) == "False":
            return False
    return True


class _Scanner(ast.NodeVisitor):
    def __init__(self, rel: str):
        self.rel = rel
        self.scope: list[str] = []
        self.found: list[tuple[str, str, str, int]] = []

    def _visit_scope(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _visit_scope

    def visit_Call(self, node: ast.Call):
        if _is_write(node):
            function = next(
                (name for name in reversed(self.scope) if not name[:1].isupper()),
                "<module>",
            )
            self.found.append((self.rel, function, ast.unparse(node.func), node.lineno))
        self.generic_visit(node)


def scan(root: Path = ROOT) -> list[tuple[str, str, str, int]]:
    """Every ORM write outside the services: (file, function, call, line)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if _skipped(rel) or _in_services(rel.as_posix()):
            continue
        scanner = _Scanner(rel.as_posix())
        scanner.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(scanner.found)
    return found


def test_no_orm_write_outside_the_services():
    stray = [
        f"{rel}:{line} {call}(...) in {function}()"
        for rel, function, call, line in scan()
        if _key(rel, function, call) not in ALLOWED | MOVING
    ]
    assert not stray, "Write through a service instead:\n" + "\n".join(stray)


def test_every_allowed_write_still_exists():
    """An allowance whose write is gone is removed, so the list stays short and true."""
    seen = {_key(rel, function, call) for rel, function, call, _line in scan()}
    assert not set(ALLOWED) - seen, sorted(set(ALLOWED) - seen)


def _scan_source(tmp_path: Path, rel: str, source: str):
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return [(call, function) for _rel, function, call, _line in scan(tmp_path)]


def test_the_scan_finds_a_create_in_a_view(tmp_path):
    source = (
        "def idea_add(request, event):\n"
        "    Idea.objects.create(event=event, text=request.POST['text'])\n"
        "    form.save()\n"
        "    Idea.objects.filter(event=event).update(pinned=True)\n"
        "    idea.delete()\n"
        "    Vote.objects.bulk_create(votes)\n"
    )
    assert _scan_source(tmp_path, "frontend/views/board.py", source) == [
        ("Idea.objects.create", "idea_add"),
        ("form.save", "idea_add"),
        ("Idea.objects.filter(event=event).update", "idea_add"),
        ("idea.delete", "idea_add"),
        ("Vote.objects.bulk_create", "idea_add"),
    ]


def test_the_scan_leaves_services_and_non_writes_alone(tmp_path):
    write = "def f(event):\n    Idea.objects.create(event=event)\n"
    assert _scan_source(tmp_path, "ateliers/services/board.py", write) == []
    assert _scan_source(tmp_path, "projets/services.py", write) == []
    assert _scan_source(tmp_path, "ateliers/migrations/0002_x.py", write) == []
    harmless = (
        "class V(View):\n"
        "    def get(self, request):\n"
        "        context.update(extra)\n"
        "        initial.update(title=title)\n"
        "        image.save(buffer, 'PNG')\n"
        "        form.save(commit=False)\n"
        "        return super().update(request)\n"
    )
    assert _scan_source(tmp_path, "frontend/views/other.py", harmless) == []
