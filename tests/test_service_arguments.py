"""The services name the fields they change (issue 15): a misspelt one is a TypeError,
not silently dropped; a field not given is left as it is; ``None`` is a value."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date, timedelta

import pytest
from django.utils import timezone

import ateliers.services
from ateliers.services import events as event_services
from ateliers.services import help as help_services
from ateliers.services import people as people_services
from projets import services as project_services
from tests import factories
from webhooks import services as webhook_services


def _service_modules():
    for info in pkgutil.iter_modules(ateliers.services.__path__):
        yield importlib.import_module(f"ateliers.services.{info.name}")
    yield project_services
    yield webhook_services


# Not fields of a model: extra keys of a payload.
PAYLOAD_EXTRAS: set[str] = set()


def test_no_service_takes_untyped_keyword_arguments():
    loose = [
        f"{module.__name__}.{name}"
        for module in _service_modules()
        for name, function in vars(module).items()
        if inspect.isfunction(function)
        and function.__module__ == module.__name__
        and not name.startswith("_")
        and any(
            p.kind is inspect.Parameter.VAR_KEYWORD
            for p in inspect.signature(function).parameters.values()
        )
    ]
    assert set(loose) == PAYLOAD_EXTRAS


@pytest.mark.django_db
@pytest.mark.parametrize(
    "call",
    [
        lambda o, e: event_services.event_update(actor=o, event=e, titel_fr="Faute"),
        lambda o, e: event_services.event_create(actor=o, title="Faute"),
        lambda o, e: event_services.theme_update(actor=o, theme=e.themes.first(), nom_fr="x"),
        lambda o, e: people_services.skill_update(
            actor=o, skill=factories.make_skill("design"), label="x"
        ),
        lambda o, e: project_services.project_update(
            actor=o, project=factories.make_project(actor=o), summary="x"
        ),
    ],
)
def test_a_misspelt_field_is_an_error_and_nothing_is_written(organizer, event, call):
    event_services.theme_create(actor=organizer, event=event, name_fr="Mobilité")
    before = (event.title_fr, event.updated_at)
    with pytest.raises(TypeError):
        call(organizer, event)
    event.refresh_from_db()
    assert (event.title_fr, event.updated_at) == before


@pytest.mark.django_db
def test_a_field_not_given_is_kept_and_none_is_a_value(organizer, event):
    event = event_services.event_update(actor=organizer, event=event, capacity=30)
    event = event_services.event_update(actor=organizer, event=event, venue="Québec")
    event.refresh_from_db()
    assert (event.capacity, event.venue) == (30, "Québec")
    event = event_services.event_update(actor=organizer, event=event, capacity=None)
    event.refresh_from_db()
    assert event.capacity is None and event.venue == "Québec"

    project = factories.make_project(actor=organizer)
    milestone = project_services.milestone_create(
        actor=organizer,
        project=project,
        title="Prototype",
        due_on=date.today() + timedelta(days=30),
        done_on=timezone.localdate(),
    )
    project_services.milestone_update(actor=organizer, milestone=milestone, weight=3)
    milestone.refresh_from_db()
    assert (milestone.weight, milestone.done_on) == (3, timezone.localdate())
    project_services.milestone_update(actor=organizer, milestone=milestone, done_on=None)
    milestone.refresh_from_db()
    assert (milestone.weight, milestone.done_on, milestone.title) == (3, None, "Prototype")


@pytest.mark.django_db
def test_event_partners_and_sponsors_are_set_by_the_service(organizer):
    """The admin's event form has them; the service used to drop them without a word."""
    city, bank = factories.make_org("Ville"), factories.make_org("Caisse")
    event = event_services.event_create(
        actor=organizer,
        title_fr="Forum",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=4),
        languages=["fr"],
        partners=[city],
        sponsors=[bank],
        board_locked=True,
    )
    assert list(event.partners.all()) == [city] and list(event.sponsors.all()) == [bank]
    assert event.board_locked
    event_services.event_update(actor=organizer, event=event, sponsors=[])
    assert list(event.partners.all()) == [city] and not event.sponsors.exists()


@pytest.mark.django_db
def test_help_request_skills_are_kept_unless_given(organizer, org):
    request = factories.make_help_request(org, skills=("accessibility",))
    help_services.help_request_update(actor=organizer, help_request=request, title="Nouveau")
    request.refresh_from_db()
    assert request.title == "Nouveau"
    assert [s.slug for s in request.skills.all()] == ["accessibility"]
