"""What the database and the models must never let be false."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ateliers.fields import LanguageListField, has_language
from ateliers.models import Event, ExpertProfile, Organization, Registration, Skill, Theme
from ateliers.models.events import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from ateliers.services import events as event_services
from tests import factories

pytestmark = pytest.mark.django_db


def _integrity(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


# Registrations -------------------------------------------------------------------------


def test_one_registration_per_organisation_and_event(event, org, member):
    Registration.objects.create(event=event, role="organization", organization=org, user=member)
    other_member = factories.make_member(org)
    _integrity(
        lambda: Registration.objects.create(
            event=event, role="organization", organization=org, user=other_member
        )
    )
    # The same organisation may register for another event.
    other = factories.make_event()
    Registration.objects.create(event=other, role="organization", organization=org, user=member)


@pytest.mark.parametrize("role", ["expert", "participant"])
def test_one_registration_per_person_and_role(event, expert, role):
    Registration.objects.create(event=event, role=role, user=expert)
    _integrity(lambda: Registration.objects.create(event=event, role=role, user=expert))


def test_a_person_may_hold_two_roles(event, expert):
    Registration.objects.create(event=event, role="expert", user=expert)
    Registration.objects.create(event=event, role="participant", user=expert)
    assert event.registrations.count() == 2


def test_organisation_named_iff_role_is_organisation(event, org, member):
    _integrity(lambda: Registration.objects.create(event=event, role="organization", user=member))
    _integrity(
        lambda: Registration.objects.create(
            event=event, role="participant", organization=org, user=member
        )
    )


def test_constraint_messages_reach_full_clean(event, org, member):
    registration = Registration(event=event, role="participant", organization=org, user=member)
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        registration.full_clean()
    assert "An organisation registration names an organisation" in str(exc.value)


# Events --------------------------------------------------------------------------------


def test_event_must_end_after_start_in_the_database(event):
    _integrity(lambda: Event.objects.filter(pk=event.pk).update(ends_at=event.starts_at))


def test_event_must_end_after_start_in_clean(organizer):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        event_services.event_create(
            actor=organizer,
            title_fr="X",
            starts_at=now,
            ends_at=now - timedelta(hours=1),
            languages=["fr"],
        )
    assert "ends_at" in exc.value.message_dict


@pytest.mark.parametrize("model", ["event", "theme", "skill"])
def test_bilingual_fields_need_one_language(event, model):
    obj = {
        "event": Event(
            starts_at=event.starts_at, ends_at=event.ends_at, languages=["fr"], join_code="ZZZZZZ"
        ),
        "theme": Theme(event=event),
        "skill": Skill(slug="x"),
    }[model]
    field = "title" if model == "event" else "name"
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    assert {f"{field}_fr", f"{field}_en"} <= set(exc.value.message_dict)
    setattr(obj, f"{field}_en", "Only English")
    obj.full_clean()
    assert obj.tr(field, "fr") == "Only English"  # falls back to the other language


def test_bilingual_resolution_prefers_the_asked_language(event):
    assert event.tr("title", "fr") == "Atelier d'essai"
    assert event.tr("title", "en") == "Test workshop"


def test_join_codes_are_short_unambiguous_and_unique(organizer):
    now = timezone.now()
    codes = set()
    for i in range(40):
        event = event_services.event_create(
            actor=organizer,
            title_fr=f"E{i}",
            starts_at=now,
            ends_at=now + timedelta(hours=1),
            languages=["fr"],
        )
        assert len(event.join_code) == JOIN_CODE_LENGTH
        assert set(event.join_code) <= set(JOIN_CODE_ALPHABET)
        codes.add(event.join_code)
    assert len(codes) == 40
    assert not set("01OIL") & set(JOIN_CODE_ALPHABET)
    first = Event.objects.first()
    _integrity(lambda: factories.make_event(join_code=first.join_code))


def test_join_code_normalisation_forgives_typing():
    assert event_services.normalize_join_code(" tech-wk ") == "TECHWK"
    assert event_services.normalize_join_code("AB0C1D") == "ABOCID"


# LanguageListField ---------------------------------------------------------------------


def test_language_list_round_trip():
    org = Organization.objects.create(name="Multi", languages=["fr", "en", "ht"])
    org.refresh_from_db()
    assert org.languages == ["fr", "en", "ht"]
    raw = Organization.objects.filter(pk=org.pk).values_list("languages", flat=True)
    assert list(raw) == [["fr", "en", "ht"]]
    empty = Organization.objects.create(name="Vide", languages=[])
    empty.refresh_from_db()
    assert empty.languages == []


def test_has_language_is_an_exact_membership_test():
    fr = Organization.objects.create(name="FR", languages=["fr"])
    fr_en = Organization.objects.create(name="FR EN", languages=["fr", "en"])
    Organization.objects.create(name="ES", languages=["es"])
    assert set(Organization.objects.filter(**has_language("languages", "fr"))) == {fr, fr_en}
    assert list(Organization.objects.filter(**has_language("languages", "en"))) == [fr_en]
    # A code is never matched by a fragment of another one.
    assert not Organization.objects.filter(**has_language("languages", "r")).exists()


def test_language_list_validation():
    field = LanguageListField(blank=False)
    field.validate(["fr", "en"], None)
    for bad in (["xx"], ["fr", "fr"], []):
        with pytest.raises(ValidationError):
            field.validate(bad, None)


def test_expert_profile_is_one_per_user(expert):
    _integrity(lambda: ExpertProfile.objects.create(user=expert, languages=["fr"]))


def test_every_model_has_str_and_ordering(event, org, member, expert):
    theme = event.themes.create(name_fr="Thème")
    slot = event.slots.create(title_en="Talk", starts_at=event.starts_at, ends_at=event.ends_at)
    reg = Registration.objects.create(event=event, role="expert", user=expert)
    for obj in (
        event,
        theme,
        slot,
        reg,
        org,
        member,
        expert.expert_profile,
        member.memberships.get(),
    ):
        assert str(obj)
        assert type(obj)._meta.ordering
