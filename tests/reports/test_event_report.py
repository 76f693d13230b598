"""The event report: parses, says what the data says, in French and in English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ateliers.models import Meeting, Schedule
from ateliers.reports.event import event_report
from ateliers.reports.pdf import font_files
from ateliers.services.board import idea_moderate, vote_set
from tests import factories
from tests.helpers import assert_queries
from tests.reports import pdftext


@pytest.fixture
def day(db, organizer):
    # The day took place (yesterday): consultations count only once their round started.
    event = factories.make_event(
        title_fr="Journée numérique à Québec",
        title_en="Digital day in Quebec City",
        created_by=organizer,
        starts_at=timezone.now() - timedelta(days=1),
    )
    event.themes.create(name_fr="Accessibilité", name_en="Accessibility")
    factories.make_skill("accessibility", "Accessibilité", "Accessibility")
    orgs = [factories.make_org(f"Coopérative {i}") for i in range(3)]
    for org in orgs:
        member = factories.make_member(org)
        event.registrations.create(role="organization", organization=org, user=member)
    experts = [factories.make_expert(f"expert{i}", skills=["accessibility"]) for i in range(2)]
    for expert in experts:
        event.registrations.create(role="expert", user=expert)
    claimed = factories.make_help_request(
        orgs[0], title="Rendre le site lisible", event=event, skills=["accessibility"]
    )
    claimed.status = "resolved"
    claimed.claimed_by = experts[0]
    claimed.save()
    factories.make_help_request(orgs[1], title="Formulaire d'adhésion", event=event)
    theme = event.themes.get()
    guests = [factories.make_participant(event, f"Invité {i}") for i in range(3)]
    ramps = factories.post_idea(guests[0], "Des rampes d'accès partout", theme=theme)
    ideas = [factories.post_idea(guests[1], f"Idée n° {i}", theme=theme) for i in range(6)]
    loose = factories.post_idea(guests[2], "Une idée sans thème")
    hidden = factories.post_idea(guests[2], "Idée cachée par la modération", theme=theme)
    idea_moderate(actor=organizer, idea=hidden, action="hide")
    for guest in guests:
        vote_set(participant=guest, idea=ramps, value=1)
    vote_set(participant=guests[0], idea=ideas[0], value=1)
    vote_set(participant=guests[0], idea=loose, value=1)
    factories.make_project(
        actor=organizer,
        title_fr="Carte des rampes du quartier",
        title_en="Map of the neighbourhood's ramps",
        event=event,
        organizations=orgs[:2],
        visibility="private",
    )
    factories.make_project(actor=organizer, title_fr="Projet d'un autre atelier")
    schedule = factories.make_schedule(
        event,
        (timedelta(0), timedelta(minutes=20)),
        (timedelta(minutes=30), timedelta(minutes=50)),
        tables=2,
    )
    for number, (org, expert) in enumerate([(orgs[0], experts[0]), (orgs[1], experts[1])], 1):
        Meeting.objects.create(
            schedule=schedule,
            organization=org,
            expert=expert,
            round=number,
            table=1,
            fit=2,
            skills=["accessibility"],
        )
    Meeting.objects.create(
        schedule=schedule, organization=orgs[2], expert=experts[0], round=2, table=2, fit=2
    )
    return event


def test_french_report_says_what_the_data_says(day):
    data = event_report(day, lang="fr")
    text = pdftext.text(data)
    assert "Journée numérique à Québec" in text
    assert "Rendre le site lisible" in text
    assert "Coopérative 0" in text
    assert "Formulaire d'adhésion" not in text  # open, never claimed: not in the list
    assert "Accessibilité" in text
    assert "\x00" not in text and "\ufffd" not in text
    reader = pdftext.read(data)
    assert "Journée numérique à Québec" in reader.metadata.title
    assert reader.metadata.author == "livinglab"
    assert pdftext.catalog_lang(data) == "fr"


def test_english_report_uses_english_content(day):
    data = event_report(day, lang="en")
    text = pdftext.text(data)
    assert "Digital day in Quebec City" in text
    assert "Event report" in text
    assert "The day in figures" in text
    assert "Help requests by skill" in text
    assert "Accessibility" in text
    assert pdftext.catalog_lang(data) == "en"


def test_figures_match_the_data(day):
    text = pdftext.text(event_report(day, lang="en"))
    lines = [line.strip() for line in text.splitlines()]
    # Figures are drawn value above label.
    assert lines[lines.index("Organisations") - 1] == "3"
    assert lines[lines.index("Experts") - 1] == "2"
    assert lines[lines.index("Requests claimed") - 1] == "1"
    assert lines[lines.index("Help requests") - 1] == "2"
    assert lines[lines.index("Ideas") - 1] == "8"  # the hidden one is not counted
    assert lines[lines.index("Votes") - 1] == "5"
    assert lines[lines.index("People on the board") - 1] == "3"
    assert lines[lines.index("Resulting projects") - 1] == "1"
    assert lines[lines.index("Consultations held") - 1] == "3"
    assert lines[lines.index("Organisations served") - 1] == "3"


def test_consultations_held_say_who_met_whom(day):
    text = pdftext.text(event_report(day, lang="fr"))
    # The label appears with the figures, then as the section's heading.
    start = text.index("Consultations tenues", text.index("Consultations tenues") + 1)
    section = text[start:]
    assert "Coopérative 2" in section and "Expert0" in section
    assert "Accessibilité" in section  # the skill's name, not its slug


def test_a_draft_schedule_was_not_held(day):
    Schedule.objects.filter(event=day).update(status="draft")
    text = pdftext.text(event_report(day, lang="en"))
    assert "Consultations held" not in text


def test_resulting_projects_are_listed(day):
    text = pdftext.text(event_report(day, lang="en"))
    assert "Map of the neighbourhood's ramps" in text
    assert "Projet d'un autre atelier" not in text
    fr = pdftext.text(event_report(day, lang="fr"))
    assert "Carte des rampes du quartier" in fr


def test_top_ideas_per_theme(day):
    text = pdftext.text(event_report(day, lang="fr"))
    assert "Des rampes d'accès partout" in text
    assert "Une idée sans thème" in text
    assert "Idée n° 0" in text and "Idée n° 3" in text
    assert "Idée n° 4" not in text and "Idée n° 5" not in text  # five per theme
    assert "Idée cachée" not in text
    start = text.index("Idées les plus appuyées par thème")
    assert text.index("Des rampes", start) < text.index("Idée n° 0", start)


def test_the_font_is_embedded_and_covers_french(day):
    data = event_report(day, lang="fr")
    fonts = pdftext.fonts(data)
    assert fonts, "no font resources"
    regular, _bold = font_files()
    family = regular.stem  # DejaVuSans, or Vera where DejaVu is not installed
    assert all(family in name for name in fonts), fonts  # no base-14 fallback
    assert pdftext.embedded_fonts(data) == fonts


def test_user_text_is_escaped_not_markup(db):
    event = factories.make_event(title_fr="A <b>&</b> B", title_en="")
    text = pdftext.text(event_report(event, lang="en"))
    assert "A <b>&</b> B" in text


FRENCH = "Œuvre cœur àâäéèêëîïôöùûüÿç ÀÂÉÈÊÇÎÔÙ « guillemets » — l’été, 25 € ; n° 3"


def test_accented_french_renders_with_the_embedded_font(db):
    """Every character of French text is in the embedded font: no missing-glyph boxes."""
    from reportlab.pdfbase import pdfmetrics

    event = factories.make_event(title_fr=FRENCH, description_fr=FRENCH)
    data = event_report(event, lang="fr")
    text = pdftext.text(data)
    assert FRENCH in text
    font = pdfmetrics.getFont("LivinglabSans")
    covered = set(font.face.charToGlyph)
    assert {ch for ch in FRENCH if ord(ch) not in covered} == set()


def _count_queries(event) -> None:
    with assert_queries("report event PDF"):
        event_report(event, lang="en")


def test_the_report_costs_a_constant_number_of_queries(day, organizer):
    small = factories.make_event(starts_at=timezone.now() - timedelta(days=2))
    small.themes.create(name_fr="Seul thème")
    guest = factories.make_participant(small, "Seule")
    factories.post_idea(guest, "Seule idée", theme=small.themes.get())
    factories.make_help_request(title="Seule demande", event=small)
    factories.make_project(actor=organizer, event=small)
    schedule = factories.make_schedule(small, (timedelta(0), timedelta(minutes=9)))
    factories.make_meeting(schedule, skills=["accessibility"])
    _count_queries(small)
    _count_queries(day)  # a full day: the same count


def test_no_consultation_figure_before_the_event(organizer):
    """A published schedule is a plan: before its rounds start nothing was held (issue 20:
    "Consultations tenues 22" printed before the event)."""
    event = factories.make_event(created_by=organizer)  # next week
    schedule = factories.make_schedule(event, (timedelta(0), timedelta(minutes=9)))
    factories.make_meeting(schedule)
    text = pdftext.text(event_report(event, lang="fr"))
    assert "Consultations tenues" not in text
    assert "Organisations servies" not in text
