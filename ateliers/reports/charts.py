"""Charts drawn with reportlab.graphics: vector shapes and real text, nothing rasterised."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from .pdf import ACCENT, FONT, FONT_BOLD, INK, MUTED, new_drawing

MAX_BARS = 12


def _shorten(label: str, limit: int = 38) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    title: str, items: list[tuple[str, int]], *, width: float = 170 * mm, other: str = "…"
) -> Drawing:
    """A horizontal bar chart of (label, value), largest first, the tail summed as ``other``."""
    items = sorted(items, key=lambda kv: (-kv[1], kv[0]))
    if len(items) > MAX_BARS:
        head, tail = items[: MAX_BARS - 1], items[MAX_BARS - 1 :]
        items = [*head, (other, sum(v for _, v in tail))]
    items = list(reversed(items))  # reportlab draws the first category at the bottom
    bar = 7 * mm
    height = max(len(items), 1) * bar + 16 * mm
    drawing = new_drawing(width, height)
    drawing.add(String(0, height - 5 * mm, title, fontName=FONT_BOLD, fontSize=10, fillColor=INK))
    chart = HorizontalBarChart()
    chart.x = 62 * mm
    chart.y = 6 * mm
    chart.width = width - chart.x - 12 * mm
    chart.height = max(len(items), 1) * bar
    chart.data = [[v for _, v in items] or [0]]
    chart.categoryAxis.categoryNames = [_shorten(k) for k, _ in items] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.fillColor = INK
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.valueMin = 0
    top = max([v for _, v in items] or [1])
    chart.valueAxis.valueMax = max(top, 1) * 1.15
    chart.valueAxis.valueStep = None
    chart.valueAxis.forceZero = True
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    chart.barLabels.fillColor = INK
    chart.strokeColor = None
    chart.valueAxis.gridStrokeColor = colors.HexColor("#d5dae3")
    drawing.add(chart)
    return drawing
