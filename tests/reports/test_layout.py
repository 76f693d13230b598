"""Issue 20: PDF layout read back from the files — no number or word cut in two, no
heading alone at the foot of a page, and every table header fits its column."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.utils import timezone
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Table

from ateliers.reports import event as event_report_module
from ateliers.reports import pdf
from ateliers.reports.event import event_report
from projets import reports as project_reports
from projets import services
from tests import factories
from tests.reports import pdftext

pytestmark = pytest.mark.django_db

LOREM = (
    "Installer des bancs ombragés, des fontaines et des supports à vélos le long de la "
    "rue principale pour que les aînés et les familles puissent s'y arrêter en été. "
)


@pytest.fixture
def big_day(organizer):
    """Many themes with long ideas: headings land near page feet."""
    event = factories.make_event(
        created_by=organizer,
        title_fr="Forum des 50 000 voix",
        starts_at=timezone.now() - timedelta(days=1),
    )
    guest = factories.make_participant(event, "Invitée")
    for t in range(14):
        theme = event.themes.create(name_fr=f"Thème numéro {t}", name_en=f"Theme {t}", position=t)
        for i in range(5):
            factories.post_idea(guest, f"{LOREM * (3 + (t + i) % 3)} ({t}.{i})", theme=theme)
    return event


def _pages(data: bytes) -> list[list[str]]:
    reader = pdftext.read(data)
    return [
        [line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
        for page in reader.pages
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_heading_is_left_alone_at_a_page_foot(big_day, lang):
    data = event_report(big_day, lang=lang)
    headings = {f"Thème numéro {t}" if lang == "fr" else f"Theme {t}" for t in range(14)}
    headings |= {"Idées les plus soutenues par thème", "Top ideas per theme"}
    pages = _pages(data)
    assert len(pages) >= 4
    bodies = [
        # The footer (title, page number) is not the body.
        [ln for ln in lines if not ln.isdigit() and "Forum des" not in ln]
        for lines in pages
    ]
    orphans = [
        (number, body[-1])
        for number, (body, following) in enumerate(pairwise(bodies), 1)
        # A heading ends the page and its table starts the next one ("#  Idée  Votes…").
        if body and body[-1] in headings and following and following[0].startswith("#")
    ]
    assert orphans == []
    # The headings are there, each followed by its table on the same page.
    assert sum(ln in headings for body in bodies for ln in body) >= 14


def test_numbers_and_header_words_are_never_cut(big_day, organizer):
    text = pdftext.text(event_report(big_day, lang="fr"))
    assert "50\xa0000" in text or "50 000" in text
    assert "50\n000" not in text and "50\xa0\n000" not in text
    lines = {line.strip() for line in text.splitlines()}
    assert "Commentaires" in lines or any("Commentaires" in ln for ln in lines)
    assert not {"Commentaire", "s", "Tabl", "e"} & lines
    project = factories.make_project(actor=organizer, title_fr="Planter 50 000 arbres")
    indicator = services.indicator_create(
        actor=organizer, project=project, name="Arbres plantés", unit="arbres", target=50000
    )
    services.indicator_record_value(actor=organizer, indicator=indicator, value=Decimal(12500))
    text = pdftext.text(project_reports.project_report(project, lang="fr", reader=organizer))
    assert "50\n000" not in text and "12\n500" not in text
    assert "Planter 50\xa0000 arbres" in text.replace("\n", " ") or "50 000" in text


def _tables(flowables):
    for f in flowables:
        if isinstance(f, Table):
            yield f
        elif isinstance(f, KeepTogether):
            yield from _tables(f._content)


def _header_fits(table: Table) -> list[str]:
    """Header cells whose longest word is wider than its column (it would be cut)."""
    bad = []
    for cell, width in zip(table._cellvalues[0], table._argW, strict=False):
        if not isinstance(cell, Paragraph) or width is None:
            continue
        style = cell.style
        text = cell.getPlainText()
        inner = width - 12  # the table's default left and right padding
        longest = max(stringWidth(w, style.fontName, style.fontSize) for w in text.split())
        if longest > inner:
            bad.append(f"{text!r}: {longest:.0f} > {inner:.0f}")
    return bad


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_table_header_fits_its_column(big_day, organizer, org, expert, lang):
    from django.utils import translation

    from ateliers.models import Meeting

    start = big_day.starts_at
    schedule = factories.make_schedule(big_day, (timedelta(0), timedelta(hours=1)))
    Meeting.objects.create(
        schedule=schedule, organization=org, expert=expert, round=1, table=1, fit=1
    )
    claimed = factories.make_help_request(org, event=big_day)
    claimed.status, claimed.claimed_by = "claimed", expert
    claimed.save()
    project = factories.make_project(actor=organizer, event=big_day, organizations=[org])
    services.milestone_create(
        actor=organizer, project=project, title="Pilote", due_on=timezone.localdate()
    )
    big_day.slots.create(
        title_fr="Plénière", starts_at=start, ends_at=start + timedelta(hours=1), kind="plenary"
    )
    with translation.override(lang):
        ctx = event_report_module.Context(event=big_day, lang=lang, styles=pdf.styles())
        for collect in event_report_module.COLLECTORS:
            collect(ctx)
        flowables = []
        for section in event_report_module.SECTIONS:
            flowables += section(ctx)
        pctx = project_reports.Context(
            project=project_reports._load(project), lang=lang, styles=pdf.styles(), reader=None
        )
        for section in project_reports.SECTIONS:
            flowables += section(pctx)
        flowables += project_reports._portfolio_summary([project], pdf.styles(), [])
    tables = list(_tables(flowables))
    assert len(tables) >= 6
    problems = [p for t in tables for p in _header_fits(t)]
    assert problems == []
