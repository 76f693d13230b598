"""The French catalogue is complete, current and compiled, and French pages show no English UI.

(a) every msgid has a French msgstr and nothing is fuzzy; (b) ``makemessages`` run on a copy
of the code finds exactly the msgids of the committed catalogue; (c) each committed ``.mo``
says what its ``.po`` says; (d) key pages rendered with ``?lang=fr`` carry none of the
catalogue's English sentences, while the same pages in English do (so the check can fail);
(e) the PDFs' labels are translated.
"""

from __future__ import annotations

import gettext
import re
import shutil
from html import unescape
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tests import factories

LOCALE = Path(settings.BASE_DIR) / "locale"
# What the documented command leaves out: makemessages -i ".venv/*" -i "staticfiles/*"
# -i "tests/*" -i "bench/*" (plus the catalogues themselves and VCS/hidden directories).
LEFT_OUT = {".venv", "staticfiles", "tests", "bench", "locale", "node_modules"}


def _po(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def _key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


# (a) ------------------------------------------------------------------------------------


def test_every_french_msgid_is_translated_and_nothing_is_fuzzy():
    po = _po("fr")
    assert not po.metadata_is_fuzzy, "the header is still marked fuzzy"
    assert po.metadata.get("Language") == "fr"
    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 800
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    empty = [
        e.msgid
        for e in entries
        if (not all(e.msgstr_plural.values()) if e.msgid_plural else not e.msgstr)
    ]
    assert fuzzy == [], fuzzy[:20]
    assert empty == [], empty[:20]


PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%[sd]|%%|\{[^{}]*\}|<[^<>]+>")


def test_french_keeps_every_placeholder_and_tag():
    wrong = []
    for e in _po("fr"):
        if e.obsolete:
            continue
        pairs = (
            [(e.msgid, e.msgstr_plural[0]), (e.msgid_plural, e.msgstr_plural[1])]
            if e.msgid_plural
            else [(e.msgid, e.msgstr)]
        )
        for source, target in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                wrong.append((source, target))
    assert wrong == []


def test_the_english_catalogue_is_not_fuzzy_either():
    po = _po("en")
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete] == []


# (b) ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> polib.POFile:
    """Run ``makemessages`` on a copy of the code, into a throw-away locale directory."""
    root = tmp_path_factory.mktemp("makemessages")
    for source in Path(settings.BASE_DIR).iterdir():
        if source.name in LEFT_OUT or source.name.startswith("."):
            continue
        if source.is_dir():
            shutil.copytree(
                source,
                root / source.name,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "static"),
            )
        elif source.suffix in (".py", ".html", ".txt"):
            shutil.copy2(source, root / source.name)
    (root / "locale").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.setattr(settings, "LOCALE_PATHS", [str(root / "locale")])
        call_command("makemessages", locale=["fr"], verbosity=0, no_obsolete=True)
    return polib.pofile(str(root / "locale" / "fr" / "LC_MESSAGES" / "django.po"))


def test_the_committed_catalogue_is_up_to_date(fresh_catalogue):
    in_code = {_key(e) for e in fresh_catalogue if e.msgid}
    committed = {_key(e) for e in _po("fr") if e.msgid and not e.obsolete}
    assert len(in_code) > 800
    missing = sorted(in_code - committed, key=str)
    stale = sorted(committed - in_code, key=str)
    assert missing == [], f"run makemessages and translate: {missing[:20]}"
    assert stale == [], f"run makemessages --no-obsolete: {stale[:20]}"


# (c) ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_mo_is_compiled_from_the_po(lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as fp:
        mo = gettext.GNUTranslations(fp)
    checked = 0
    for e in _po(lang):
        if e.obsolete or not e.msgid or "fuzzy" in e.flags:
            continue
        context = f"{e.msgctxt}\x04" if e.msgctxt else ""
        if e.msgid_plural:
            if not e.msgstr_plural.get(0):
                continue
            singular = mo.ngettext(context + e.msgid, context + e.msgid_plural, 1)
            plural = mo.ngettext(context + e.msgid, context + e.msgid_plural, 2)
            assert (singular, plural) == (e.msgstr_plural[0], e.msgstr_plural[1]), e.msgid
        elif e.msgstr:
            assert mo.gettext(context + e.msgid) == e.msgstr, e.msgid
        else:
            continue
        checked += 1
    assert checked > 800 or lang == "en"  # English msgstrs stay empty: the msgid is the text


# (d) ------------------------------------------------------------------------------------

SENTENCE = re.compile(r"^[A-Z][a-z]+(?: [a-z,’'-]+){2,}[.:]?$")


def _english_sentences() -> set[str]:
    """Plain English UI sentences of the catalogue (three words or more, no markup), which
    must never reach a French page."""
    return {
        e.msgid
        for e in _po("fr")
        if not e.obsolete and e.msgstr != e.msgid and SENTENCE.match(e.msgid)
    }


LABEL = re.compile(r'\b(?:aria-label|alt|title|placeholder|data-new-label)="([^"]*)"')


def _visible_text(html: str) -> str:
    """What a person reads or hears: the text, plus labels carried by attributes."""
    labels = " | ".join(LABEL.findall(html))
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " | ", html)
    return re.sub(r"\s+", " ", unescape(f"{html} | {labels}"))


@pytest.fixture
def pages(db, organizer, org, member, expert):
    """Key pages (with who sees them), rendered with content on them."""
    event = factories.make_event(created_by=organizer)
    factories.post_idea(factories.make_participant(event), "Des rampes")
    factories.make_help_request(org)
    factories.make_project(actor=organizer)

    def client(user=None) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    joined = client()
    joined.post("/join/", {"code": event.join_code, "display_name": "Zoé"})
    return [
        ("/", client()),
        ("/events/", client()),
        (f"/events/{event.pk}/", client()),
        ("/join/", client()),
        (f"/events/{event.pk}/board/", client()),
        (f"/events/{event.pk}/board/", joined),
        (f"/events/{event.pk}/moderate/", client(organizer)),
        ("/help/", client(member)),
        ("/expert/", client(expert)),
        ("/projects/", client()),
        ("/organize/", client(organizer)),
        (f"/organize/events/{event.pk}/", client(organizer)),
    ]


def test_french_pages_show_no_english_ui(pages):
    sentences = _english_sentences()
    assert len(sentences) > 150
    for path, client in pages:
        response = client.get(f"{path}?lang=fr")
        assert response.status_code == 200, path
        text = _visible_text(response.content.decode())
        assert 'lang="fr"' in response.content.decode()
        english = sorted(s for s in sentences if s in text)
        assert english == [], (path, english)
        english_page = _visible_text(client.get(f"{path}?lang=en").content.decode())
        assert any(s in english_page for s in sentences), path  # the check can fail


@pytest.mark.parametrize(
    "path, english, french",
    [
        ("/", "See the events", "Voir les événements"),
        ("/projects/", "Filter projects", "Filtrer les projets"),
        ("/join/", "Join a board", "Rejoindre un tableau"),
    ],
)
def test_known_labels_switch_language(db, path, english, french):
    fr = Client().get(f"{path}?lang=fr").content.decode()
    en = Client().get(f"{path}?lang=en").content.decode()
    assert french in fr and english not in fr
    assert english in en and french not in en


def test_board_page_in_french(db, event):
    factories.post_idea(factories.make_participant(event), "Des rampes")
    page = Client().get(f"/events/{event.pk}/board/?lang=fr").content.decode()
    assert "Rejoindre ce tableau" in page and "Join this board" not in page
    assert "Take part" not in page and "Participer" in page


# (e) ------------------------------------------------------------------------------------


def test_pdf_labels_are_translated(db, organizer):
    from ateliers.reports.event import event_report
    from ateliers.schedule.pdf import agenda_pdf
    from projets.reports import project_report
    from tests.reports import pdftext

    event = factories.make_event(created_by=organizer)
    fr = pdftext.text(event_report(event, lang="fr"))
    en = pdftext.text(event_report(event, lang="en"))
    assert "La journée en chiffres" in fr and "The day in figures" not in fr
    assert "The day in figures" in en
    project = factories.make_project(actor=organizer)
    report = pdftext.text(project_report(project, lang="fr", reader=organizer))
    assert "Rapport d'étape du projet" in report and "Project status report" not in report
    assert "Chronologie des phases" in report
    with translation.override("fr"):
        agenda = pdftext.text(agenda_pdf(event_title="Atelier", person="Zoé", day=None, entries=[]))
    assert "Aucune consultation n'est prévue." in agenda
    assert "No consultation is planned." not in agenda


def test_notifications_speak_each_recipients_language(db, org, member, expert):
    """An English-speaking expert claims; the French member is told in French, and an
    English-speaking member in English."""
    from ateliers.choices import NotificationKind
    from ateliers.models import Notification
    from ateliers.services.help import help_request_claim

    member.language = "fr"
    member.save(update_fields=["language"])
    english = factories.make_member(org, "english")
    english.language = "en"
    english.save(update_fields=["language"])
    request = factories.make_help_request(org, title="Site inaccessible")
    with translation.override("en"):
        help_request_claim(actor=expert, help_request=request)
    fr = Notification.objects.get(recipient=member, kind=NotificationKind.CLAIMED)
    en = Notification.objects.get(recipient=english, kind=NotificationKind.CLAIMED)
    assert "a pris en charge « Site inaccessible »" in fr.title
    assert "claimed “Site inaccessible”" in en.title
