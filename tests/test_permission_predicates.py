"""Each rule of who may do what is one predicate in a ``permissions.py``, and the pages, the
API and the services ask it: a rule the page shows differently from what the service
enforces is a button that fails or an action nobody is offered."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from django.test import Client

import ateliers.permissions
import projets.permissions
from ateliers.models import HelpRequest, Membership
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
# Where a rule is asked: pages, API, sockets, services, and the selectors that scope a read
# by it (``agenda_for`` refuses another organisation's agenda for the page and the API).
CALLERS = (
    "frontend",
    "api",
    "ateliers/consumers.py",
    "ateliers/services",
    "ateliers/selectors",
    "projets/services.py",
    "projets/selectors.py",
)


def _predicates(module) -> list[str]:
    return [
        name
        for name, value in inspect.getmembers(module, inspect.isfunction)
        if value.__module__ == module.__name__ and not name.startswith("_")
    ]


def _names_used(paths) -> set[str]:
    used: set[str] = set()
    for base in paths:
        base = ROOT / base
        for path in [base] if base.is_file() else sorted(base.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Name):
                    used.add(node.id)
                elif isinstance(node, ast.Attribute):
                    used.add(node.attr)
    return used


@pytest.mark.parametrize("module", [ateliers.permissions, projets.permissions])
def test_every_predicate_is_asked_by_a_page_the_api_or_a_service(module):
    used = _names_used(CALLERS)
    unused = [name for name in _predicates(module) if name not in used]
    assert not unused, f"predicates nobody asks (remove them or use them): {unused}"


def _no_predicates_elsewhere() -> list[str]:
    """``def can_…``/``may_…`` outside the permissions modules: a rule with a second home."""
    found = []
    for base in ("ateliers", "projets", "api", "frontend", "webhooks"):
        for path in sorted((ROOT / base).rglob("*.py")):
            if path.name == "permissions.py" or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef) and node.name.startswith(("can_", "may_")):
                    found.append(f"{path.relative_to(ROOT)}:{node.name}")
    return found


def test_permission_predicates_live_only_in_permissions_modules():
    assert _no_predicates_elsewhere() == []


# --- the claim rule: the page offers the button exactly when the service accepts ----------


def _member(user, org):
    Membership.objects.create(user=user, organization=org, role="member")
    return user


CLAIMANTS = {
    "outside expert": lambda org: factories.make_expert(),
    "expert of the organisation": lambda org: _member(factories.make_expert(), org),
    "organizer and expert of the organisation": lambda org: _member(
        factories.make_user(is_organizer=True, is_expert=True), org
    ),
    "superuser of the organisation": lambda org: _member(
        factories.make_user(is_superuser=True, is_staff=True), org
    ),
    "organizer, not an expert": lambda org: factories.make_organizer(),
    "member": lambda org: factories.make_member(org),
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", CLAIMANTS)
def test_claim_button_shown_exactly_when_the_claim_succeeds(who):
    org = factories.make_org()
    request = factories.make_help_request(org, skills=["accessibility"])
    client = Client()
    client.force_login(CLAIMANTS[who](org))
    shown = f"/help/{request.pk}/claim/" in client.get(f"/help/{request.pk}/").content.decode()
    client.post(f"/help/{request.pk}/claim/")
    claimed = HelpRequest.objects.get(pk=request.pk).status == "claimed"
    assert shown == claimed
    assert claimed == (
        who
        in (
            "outside expert",
            "organizer and expert of the organisation",
            "superuser of the organisation",
        )
    )
