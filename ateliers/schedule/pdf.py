"""Agendas and table sign-in sheets as PDF bytes, made with reportlab.

The text font is embedded: DejaVu Sans from Debian's ``fonts-dejavu-core`` when present,
else reportlab's bundled Bitstream Vera; both cover French.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import reportlab
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from ..selectors.schedule import AgendaEntry

FONT = "LivinglabSans"
FONT_BOLD = "LivinglabSans-Bold"
_CANDIDATES = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
]


def register_fonts() -> str:
    """Register the embedded font once; returns the name of the file used."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    for regular, bold in _CANDIDATES:
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)
            return FONT
    raise RuntimeError("no TrueType font found for PDFs")  # pragma: no cover


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=18, leading=22),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16),
        "cell": base,
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD),
    }


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return date_format(timezone.localtime(moment), "H:i")


def _document(buffer: io.BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="livinglab",
    )


def _table(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def agenda_pdf(
    *, event_title: str, person: str, day: datetime | None, entries: Sequence[AgendaEntry]
) -> bytes:
    """One person's (or organisation's) consultations: time, table, who, why."""
    s = _styles()
    buffer = io.BytesIO()
    title = _("Consultations — %(who)s") % {"who": person}
    story = [Paragraph(_esc(title), s["title"]), Spacer(1, 3 * mm)]
    subtitle = event_title
    if day is not None:
        subtitle = f"{event_title} · {date_format(timezone.localtime(day), 'DATE_FORMAT')}"
    story += [Paragraph(_esc(subtitle), s["subtitle"]), Spacer(1, 6 * mm)]
    if not entries:
        story.append(Paragraph(_esc(_("No consultation is planned.")), s["cell"]))
    else:
        rows = [
            [
                Paragraph(_esc(h), s["head"])
                for h in (_("Round"), _("Time"), _("Table"), _("With"), _("Why"))
            ]
        ]
        for e in entries:
            rows.append(
                [
                    Paragraph(str(e.number), s["cell"]),
                    Paragraph(f"{_time(e.starts_at)}–{_time(e.ends_at)}", s["cell"]),
                    Paragraph(str(e.table), s["cell"]),
                    Paragraph(_esc(e.other_name), s["cell"]),
                    Paragraph(_esc(" · ".join(e.reasons)), s["cell"]),
                ]
            )
        story.append(_table(rows, [20 * mm, 32 * mm, 16 * mm, 46 * mm, 66 * mm]))
    _document(buffer, title).build(story)
    return buffer.getvalue()


def signin_pdf(
    *,
    event_title: str,
    number: int,
    starts_at: datetime | None,
    ends_at: datetime | None,
    rows: Sequence[tuple[int, str, str]],
) -> bytes:
    """The sign-in sheet of one round: per table, the expert and the organisation, and a
    box for each to sign."""
    s = _styles()
    buffer = io.BytesIO()
    title = _("Round %(n)d — sign-in sheet") % {"n": number}
    story = [
        Paragraph(_esc(title), s["title"]),
        Spacer(1, 3 * mm),
        Paragraph(
            _esc(f"{event_title} · {_time(starts_at)}–{_time(ends_at)}"),
            s["subtitle"],
        ),
        Spacer(1, 6 * mm),
    ]
    data = [
        [
            Paragraph(_esc(h), s["head"])
            for h in (_("Table"), _("Expert"), _("Organisation"), _("Signatures"))
        ]
    ]
    for table, expert, organization in rows:
        data.append(
            [
                Paragraph(str(table), s["cell"]),
                Paragraph(_esc(expert), s["cell"]),
                Paragraph(_esc(organization), s["cell"]),
                "",
            ]
        )
    grid = _table(data, [18 * mm, 52 * mm, 60 * mm, 50 * mm])
    story.append(KeepTogether([grid]) if len(rows) < 20 else grid)
    _document(buffer, title).build(story)
    return buffer.getvalue()
