"""The event report: parses, says what the data says, in French and in English."""

from __future__ import annotations

import pytest

from ateliers.reports.event import event_report
from ateliers.reports.pdf import font_files
from tests import factories
from tests.reports import pdftext


@pytest.fixture
def day(db, organizer):
    event = factories.make_event(
        title_fr="Journée numérique à Québec",
        title_en="Digital day in Quebec City",
        created_by=organizer,
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
