"""Name badges (A4 sheets, 2 × 4, cut lines) and the venue poster, with the join QR code."""

from __future__ import annotations

from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from ..choices import RegistrationRole
from ..i18n import localized
from ..models import Event, Registration
from . import pdf

COLUMNS, ROWS = 2, 4
BADGE_W, BADGE_H = 95 * mm, 68 * mm
QR_SIZE = 30 * mm


def _fit(text: str, font: str, size: float, width: float, smallest: float = 9) -> float:
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _clip(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


class Badge(Flowable):
    """One badge: the name big, then organisation and role, the event and its QR code."""

    def __init__(
        self,
        *,
        name: str,
        organization: str,
        role: str,
        event_title: str,
        join_url: str,
        join_code: str,
        qr=None,
    ) -> None:
        super().__init__()
        self.name, self.organization, self.role = name, organization, role
        self.event_title, self.join_url, self.join_code = event_title, join_url, join_code
        self.qr = qr
        self.width, self.height = BADGE_W, BADGE_H

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        pad = 6 * mm
        text_width = self.width - 2 * pad
        c.setFillColor(pdf.ACCENT)
        c.rect(0, self.height - 12 * mm, self.width, 12 * mm, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont(pdf.FONT_BOLD, 10)
        c.drawString(
            pad, self.height - 8 * mm, _clip(self.event_title, pdf.FONT_BOLD, 10, text_width)
        )
        c.setFillColor(pdf.INK)
        y = self.height - 24 * mm
        if self.name:
            size = _fit(self.name, pdf.FONT_BOLD, 22, text_width)
            c.setFont(pdf.FONT_BOLD, size)
            c.drawString(pad, y, _clip(self.name, pdf.FONT_BOLD, size, text_width))
        else:  # a blank badge for walk-ins: a line to write on
            c.setStrokeColor(pdf.MUTED)
            c.line(pad, y - 1 * mm, self.width - pad, y - 1 * mm)
        small_width = self.width - 2 * pad - QR_SIZE - 3 * mm
        c.setFont(pdf.FONT, 11)
        if self.organization:
            c.drawString(pad, y - 9 * mm, _clip(self.organization, pdf.FONT, 11, text_width))
        c.setFillColor(pdf.ACCENT)
        c.setFont(pdf.FONT_BOLD, 10)
        c.drawString(pad, 14 * mm, _clip(self.role, pdf.FONT_BOLD, 10, small_width))
        c.setFillColor(pdf.MUTED)
        c.setFont(pdf.FONT, 8)
        c.drawString(
            pad,
            8 * mm,
            _clip(_("Board code: %(code)s") % {"code": self.join_code}, pdf.FONT, 8, small_width),
        )
        # The QR code is the same on every badge: drawn once as a form XObject, reused.
        form = f"joinqr-{self.join_code}"
        if not c.hasForm(form):
            c.beginForm(form, 0, 0, QR_SIZE, QR_SIZE)
            renderPDF.draw(self.qr or pdf.qr_drawing(self.join_url, QR_SIZE), c, 0, 0)
            c.endForm()
        c.saveState()
        c.translate(self.width - pad - QR_SIZE + 2 * mm, 3 * mm)
        c.doForm(form)
        c.restoreState()


def _badge_people(event: Event):
    """(name, organisation, role) for each registration, organisations first, by name."""
    roles = dict(RegistrationRole.choices)
    qs = (
        Registration.objects.filter(event=event)
        .select_related("user", "organization")
        .order_by("role", "organization__name", "user__display_name", "user__username", "id")
    )
    for reg in qs.iterator(chunk_size=500):
        org = reg.organization.name if reg.organization_id else ""
        if not org and reg.role == RegistrationRole.EXPERT:
            profile = getattr(reg.user, "expert_profile", None)
            org = profile.organization.name if profile and profile.organization_id else ""
        yield reg.user.public_name, org, str(roles.get(reg.role, reg.role))


def write_badges(
    event: Event, out: IO[bytes], *, lang: str, join_url: str, blanks: int | None = None
) -> None:
    """Badges for everyone registered, then blank ones to fill the last sheet (or ``blanks``)."""
    with translation.override(lang):
        title = localized(event, "title", lang)
        qr = pdf.qr_drawing(join_url, QR_SIZE)  # one drawing, shared by every badge
        common = {
            "event_title": title,
            "join_url": join_url,
            "join_code": event.join_code,
            "qr": qr,
        }
        badges = [
            Badge(name=n, organization=o, role=r, **common) for n, o, r in _badge_people(event)
        ]
        per_sheet = COLUMNS * ROWS
        missing = (-len(badges)) % per_sheet if blanks is None else blanks
        if not badges and blanks is None:
            missing = per_sheet
        badges += [
            Badge(name="", organization="", role=_("Participant"), **common)
            for _i in range(missing)
        ]
        rows = [badges[i : i + COLUMNS] for i in range(0, len(badges), COLUMNS)]
        if rows and len(rows[-1]) < COLUMNS:
            rows[-1] += [""] * (COLUMNS - len(rows[-1]))
        table = Table(rows, colWidths=[BADGE_W] * COLUMNS, rowHeights=[BADGE_H] * len(rows))
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9aa3b2"), None, (2, 2)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        meta = pdf.Meta(title=f"{_('Name badges')} — {title}", subject=_("Name badges"), lang=lang)
        pdf.build([table], meta, out, margins=10 * mm, footer=False)


def badges_pdf(event: Event, *, lang: str, join_url: str) -> bytes:
    return pdf.to_bytes(lambda out: write_badges(event, out, lang=lang, join_url=join_url))


def write_poster(event: Event, out: IO[bytes], *, lang: str, join_url: str) -> None:
    """One A4 page for the venue's door: the event, the QR code and the code in big letters."""
    with translation.override(lang):
        s = pdf.styles()
        title = localized(event, "title", lang)
        center = ParagraphStyle("PosterTitle", parent=s["Cover"], alignment=TA_CENTER)
        call = ParagraphStyle(
            "PosterCall", parent=s["H1"], fontSize=22, leading=28, alignment=TA_CENTER
        )
        code = ParagraphStyle(
            "PosterCode",
            parent=s["Cover"],
            fontSize=54,
            leading=62,
            alignment=TA_CENTER,
            textColor=pdf.ACCENT,
        )
        body = ParagraphStyle(
            "PosterBody", parent=s["Body"], fontSize=13, leading=18, alignment=TA_CENTER
        )
        qr = pdf.qr_drawing(join_url, 110 * mm)
        qr.hAlign = "CENTER"
        story = [
            pdf.para(title, center),
            pdf.para(f"{pdf.fmt_datetime(event.starts_at)} · {event.venue}".strip(" ·"), body),
            Spacer(1, 6 * mm),
            pdf.para(_("Join the ideas board"), call),
            qr,
            Spacer(1, 4 * mm),
            pdf.para(
                _("or go to %(url)s and type the code") % {"url": join_url.split("?")[0]}, body
            ),
            pdf.para(event.join_code, code),
        ]
        meta = pdf.Meta(
            title=f"{_('Poster')} — {title}", subject=_("Join the ideas board"), lang=lang
        )
        pdf.build(story, meta, out, margins=15 * mm, footer=False)


def poster_pdf(event: Event, *, lang: str, join_url: str) -> bytes:
    return pdf.to_bytes(lambda out: write_poster(event, out, lang=lang, join_url=join_url))
