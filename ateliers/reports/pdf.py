"""What every PDF shares: an embedded font that covers French, styles, metadata, QR codes.

Text is drawn as text (never as images) with a TrueType font embedded in the file, so
accents render everywhere and readers can search, copy and read the report aloud.
Debian's DejaVu Sans is used when installed (``fonts-dejavu-core``); otherwise the
Bitstream Vera files that ship inside reportlab (same design, Latin-1 coverage).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

import segno
from django.utils import formats, timezone
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

FONT = "LivinglabSans"
FONT_BOLD = "LivinglabSans-Bold"
AUTHOR = "livinglab"

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_CANDIDATES = [
    (_DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"),
]

INK = colors.HexColor("#1d2433")
ACCENT = colors.HexColor("#0b5cad")
MUTED = colors.HexColor("#545b69")
LIGHT = colors.HexColor("#e8eef6")
PALETTE = [
    colors.HexColor(c)
    for c in ("#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#a16207")
]


def _reportlab_vera() -> tuple[Path, Path]:
    import reportlab

    fonts = Path(reportlab.__file__).parent / "fonts"
    return fonts / "Vera.ttf", fonts / "VeraBd.ttf"


def font_files() -> tuple[Path, Path]:
    """The regular and bold TTF files used: DejaVu if installed, else reportlab's Vera."""
    for regular, bold in _CANDIDATES:
        if regular.exists() and bold.exists():
            return regular, bold
    return _reportlab_vera()


def register_fonts() -> None:
    """Register the embedded font family once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = font_files()
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def styles() -> StyleSheet1:
    register_fonts()
    sheet = StyleSheet1()
    base = ParagraphStyle("Body", fontName=FONT, fontSize=10, leading=14, textColor=INK)
    sheet.add(base)
    sheet.add(ParagraphStyle("Small", parent=base, fontSize=8.5, leading=11, textColor=MUTED))
    sheet.add(
        ParagraphStyle(
            "Cover", parent=base, fontName=FONT_BOLD, fontSize=26, leading=32, spaceAfter=12
        )
    )
    sheet.add(ParagraphStyle("Kicker", parent=base, fontSize=12, leading=16, textColor=ACCENT))
    sheet.add(
        ParagraphStyle(
            "H1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=14,
            spaceAfter=8,
            textColor=ACCENT,
        )
    )
    sheet.add(
        ParagraphStyle(
            "H2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=16,
            spaceBefore=8,
            spaceAfter=4,
        )
    )
    sheet.add(ParagraphStyle("Cell", parent=base, fontSize=9, leading=12))
    sheet.add(ParagraphStyle("CellBold", parent=base, fontName=FONT_BOLD, fontSize=9, leading=12))
    sheet.add(
        ParagraphStyle(
            "Figure",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=20,
            leading=24,
            alignment=TA_CENTER,
            textColor=ACCENT,
        )
    )
    sheet.add(
        ParagraphStyle("FigureLabel", parent=base, fontSize=9, leading=11, alignment=TA_CENTER)
    )
    # Headings, table headers and figures never cut a word ("Commentaire / s", "50 / 000"):
    # columns are sized for their headers, a word too long overflows a little instead.
    for name in ("Cover", "H1", "H2", "CellBold", "Figure", "FigureLabel", "Kicker"):
        sheet[name].splitLongWords = 0
    # A heading never stays alone at the foot of a page: it goes with what follows.
    for name in ("Cover", "Kicker", "H1", "H2"):
        sheet[name].keepWithNext = 1
    return sheet


_GROUPED = re.compile(r"(?<=\d)[ \u202f](?=\d{3}(?!\d))")


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: escaped, so ``<`` or ``&`` in a title stay text.

    Numbers are never split: an int is grouped with no-break spaces (``50 000``), and a
    space between digit groups typed in a title becomes a no-break space.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        text = formats.number_format(text, force_grouping=True, use_l10n=True)
    text = _GROUPED.sub("\u00a0", str(text)).replace("\u202f", "\u00a0")
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def header_row(styles, *labels) -> list[Paragraph]:
    """A table's first row: each column's label in bold."""
    return [para(label, styles["CellBold"]) for label in labels]


def fmt_datetime(value, fmt: str = "DATETIME_FORMAT") -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), fmt)


def fmt_date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


@dataclass
class Meta:
    """The document information a screen reader and a file manager show."""

    title: str
    subject: str
    lang: str
    author: str = AUTHOR


def _footer(meta: Meta) -> Callable:
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(doc.leftMargin, 10 * mm, meta.title[:110])
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 10 * mm, str(doc.page))
        canvas.restoreState()

    return draw


def build(
    story: Iterable[Flowable],
    meta: Meta,
    out: IO[bytes],
    *,
    pagesize=A4,
    margins: float = 18 * mm,
    footer: bool = True,
) -> None:
    """Lay ``story`` out into ``out`` with the document's title, author, subject, language."""
    register_fonts()
    doc = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=margins,
        rightMargin=margins,
        topMargin=margins,
        bottomMargin=margins + (6 * mm if footer else 0),
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        creator=AUTHOR,
        lang=meta.lang,
        initialFontName=FONT,
        initialFontSize=10,
    )
    page = _footer(meta) if footer else (lambda canvas, doc: None)
    doc.build(list(story), onFirstPage=page, onLaterPages=page)


def to_bytes(write: Callable[[IO[bytes]], None]) -> bytes:
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()


def new_drawing(width: float, height: float) -> Drawing:
    """A Drawing whose text state starts in the embedded font (not Times-Roman)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    return drawing


def qr_drawing(data: str, size: float) -> Drawing:
    """A QR code (segno) drawn as vector rectangles: sharp at any print size."""
    qr = segno.make(data, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    n = len(matrix)
    border = 2
    module = size / (n + 2 * border)
    drawing = new_drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for y, row in enumerate(matrix):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                drawing.add(
                    Rect(
                        (start + border) * module,
                        size - (y + border + 1) * module,
                        (x - start) * module,
                        module,
                        fillColor=colors.black,
                        strokeColor=None,
                        strokeWidth=0,
                    )
                )
            else:
                x += 1
    return drawing
