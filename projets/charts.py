"""Server-side SVG charts: geometry computed here, drawn by a template, no script.

Each chart comes with its data (``rows``) so the page shows the same figures as a table:
the SVG is the picture, the table is the text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

WIDTH = 640
HEIGHT = 240
PAD_LEFT = 16
PAD_RIGHT = 16
PAD_TOP = 24
PAD_BOTTOM = 40


@dataclass
class Bar:
    label: str
    value: Decimal | int
    value_label: str
    x: float
    y: float
    width: float
    height: float
    label_x: float


@dataclass
class BarChart:
    """A vertical bar chart with an optional target line."""

    key: str
    title: str
    description: str
    unit: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    target: Decimal | None = None
    target_y: float | None = None
    target_label: str = ""
    baseline_y: float = HEIGHT - PAD_BOTTOM

    @property
    def rows(self) -> list[Bar]:
        return self.bars


def _fmt(value) -> str:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return number_format(value, force_grouping=True)


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    points: list[tuple[str, Decimal | int]],
    unit: str = "",
    target: Decimal | None = None,
    target_label: str = "",
) -> BarChart:
    """Lay out ``points`` (label, value ≥ 0 drawn; negatives drawn as 0) as bars."""
    chart = BarChart(key=key, title=title, description=description, unit=unit)
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    values = [max(Decimal(0), Decimal(v)) for _label, v in points]
    top = max([*values, Decimal(target or 0), Decimal(1)])
    slot = plot_w / max(len(points), 1)
    bar_w = max(4.0, min(64.0, slot * 0.6))
    for index, ((label, raw), value) in enumerate(zip(points, values, strict=True)):
        height = float(value / top) * plot_h
        x = PAD_LEFT + index * slot + (slot - bar_w) / 2
        chart.bars.append(
            Bar(
                label=label,
                value=raw,
                value_label=_fmt(raw),
                x=round(x, 1),
                y=round(PAD_TOP + plot_h - height, 1),
                width=round(bar_w, 1),
                height=round(height, 1),
                label_x=round(x + bar_w / 2, 1),
            )
        )
    if target is not None and target > 0:
        chart.target = target
        chart.target_y = round(PAD_TOP + plot_h - float(Decimal(target) / top) * plot_h, 1)
        chart.target_label = target_label
    return chart


def indicator_chart(indicator, *, title: str, description: str, target_label: str) -> BarChart:
    """The indicator's history (expects ``values`` prefetched), last 12 measurements."""
    history = list(indicator.values.all())[-12:]
    points = [(v.measured_on.isoformat(), v.value) for v in history]
    return bar_chart(
        key=f"indicator-{indicator.pk}",
        title=title,
        description=description,
        points=points,
        unit=indicator.unit,
        target=indicator.target,
        target_label=target_label,
    )
