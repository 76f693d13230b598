"""The project status report partners put in front of their board (PDF bytes).

Only what the reader may see: the project comes from ``projects_visible_to(reader)``
(the caller passes it), and the story appears only once published. Sections are small
functions over a ``Context``; indicator histories are drawn as line charts with
reportlab.graphics, the progress as bars, all as vector shapes and real text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from ateliers.i18n import localized
from ateliers.reports import pdf

from .choices import CYCLE, Phase, Visibility
from .models import Indicator, IndicatorValue, Project

MAX_UPDATES = 10
MAX_POINTS = 120  # an indicator's chart keeps the latest values (10 years monthly)


@dataclass
class Context:
    project: Project
    lang: str
    styles: object
    reader: object


def _num(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _table(rows, widths) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), pdf.LIGHT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c9d0dc")),
            ]
        )
    )
    return table


def header(ctx: Context) -> list[Flowable]:
    s, p = ctx.styles, ctx.project
    phases = dict(Phase.choices)
    visibility = dict(Visibility.choices)
    story: list[Flowable] = [
        pdf.para(_("Project status report"), s["Kicker"]),
        pdf.para(localized(p, "title", ctx.lang), s["Cover"]),
    ]
    facts = [
        (_("Phase"), phases.get(p.phase, p.phase)),
        (_("Since"), pdf.fmt_date(p.phase_changed_at)),
        (_("Visibility"), visibility.get(p.visibility, p.visibility)),
        (_("Organisations involved"), ", ".join(o.name for o in p.organizations.all())),
        (_("Partners"), ", ".join(o.name for o in p.partners.all())),
        (_("Region"), p.region),
    ]
    if p.event_id:
        facts.append((_("Born at"), localized(p.event, "title", ctx.lang)))
    rows = [[pdf.para(k, s["CellBold"]), pdf.para(v, s["Cell"])] for k, v in facts if v]
    table = Table(rows, colWidths=[50 * mm, 124 * mm])
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf.FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story.append(table)
    summary = localized(p, "summary", ctx.lang)
    if summary:
        story += [Spacer(1, 4 * mm), pdf.para(summary, s["Body"])]
    story.append(
        pdf.para(
            _("Generated on %(date)s") % {"date": pdf.fmt_datetime(timezone.now())}, s["Small"]
        )
    )
    return story


def _cycle_drawing(current: str, width: float = 174 * mm) -> Flowable:
    """The five phases as boxes, the current one filled."""
    phases = dict(Phase.choices)
    height = 14 * mm
    drawing = pdf.new_drawing(width, height)
    gap = 2 * mm
    box = (width - gap * (len(CYCLE) - 1)) / len(CYCLE)
    reached = True
    for i, phase in enumerate(CYCLE):
        x = i * (box + gap)
        is_current = phase == current
        fill = pdf.ACCENT if is_current else (pdf.LIGHT if reached else colors.white)
        drawing.add(
            Rect(x, 2 * mm, box, 9 * mm, fillColor=fill, strokeColor=pdf.ACCENT, strokeWidth=0.6)
        )
        drawing.add(
            String(
                x + box / 2,
                5.5 * mm,
                str(phases[phase]),
                textAnchor="middle",
                fontName=pdf.FONT_BOLD if is_current else pdf.FONT,
                fontSize=8,
                fillColor=colors.white if is_current else pdf.INK,
            )
        )
        if is_current:
            reached = False
    return drawing


def timeline(ctx: Context) -> list[Flowable]:
    s, p = ctx.styles, ctx.project
    phases = dict(Phase.choices)
    story: list[Flowable] = [pdf.para(_("Phase timeline"), s["H1"]), _cycle_drawing(p.phase)]
    transitions = list(p.transitions.all())
    if transitions:
        rows = [pdf.header_row(s, _("Date"), _("Phase"), _("Note"))]
        for t in transitions:
            move = phases.get(t.to_phase, t.to_phase)
            if t.from_phase:
                move = f"{phases.get(t.from_phase, t.from_phase)} → {move}"
            rows.append(
                [
                    pdf.para(pdf.fmt_date(t.created_at), s["Cell"]),
                    pdf.para(move, s["Cell"]),
                    pdf.para(t.note, s["Cell"]),
                ]
            )
        story += [Spacer(1, 3 * mm), _table(rows, [36 * mm, 62 * mm, 76 * mm])]
    return story


def milestones(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    items = list(ctx.project.milestones.all())
    if not items:
        return []
    today = timezone.localdate()
    rows = [pdf.header_row(s, _("Milestone"), _("Due"), _("Status"))]
    for m in items:
        if m.done_on:
            status = _("Done on %(date)s") % {"date": pdf.fmt_date(m.done_on)}
        elif m.due_on < today:
            status = _("Late")
        else:
            status = _("To do")
        rows.append(
            [
                pdf.para(m.shown("title", ctx.lang), s["Cell"]),
                pdf.para(pdf.fmt_date(m.due_on), s["Cell"]),
                pdf.para(status, s["Cell"]),
            ]
        )
    return [
        CondPageBreak(30 * mm),
        pdf.para(_("Milestones"), s["H1"]),
        _table(rows, [100 * mm, 34 * mm, 40 * mm]),
    ]


def _progress_bar(indicator: Indicator, width: float = 174 * mm) -> Flowable:
    height = 7 * mm
    drawing = pdf.new_drawing(width, height)
    bar_width = width - 22 * mm
    drawing.add(Rect(0, 1.5 * mm, bar_width, 4 * mm, fillColor=pdf.LIGHT, strokeColor=None))
    drawing.add(
        Rect(
            0,
            1.5 * mm,
            bar_width * indicator.bar_percent / 100,
            4 * mm,
            fillColor=pdf.ACCENT,
            strokeColor=None,
        )
    )
    percent = indicator.progress_percent
    label = "—" if percent is None else f"{percent} %"
    drawing.add(
        String(
            bar_width + 2 * mm,
            2.3 * mm,
            label,
            fontName=pdf.FONT_BOLD,
            fontSize=9,
            fillColor=pdf.INK,
        )
    )
    return drawing


def _history_chart(values: list[tuple], width: float = 174 * mm) -> Flowable:
    """Values over time: x is the day number, labelled with a few dates."""
    height = 42 * mm
    drawing = pdf.new_drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 14 * mm, 8 * mm
    plot.width, plot.height = width - 20 * mm, height - 12 * mm
    points = [(d.toordinal(), float(v)) for d, v in values]
    plot.data = [points]
    plot.lines[0].strokeColor = pdf.ACCENT
    plot.lines[0].strokeWidth = 1.2
    plot.xValueAxis.valueMin = points[0][0]
    plot.xValueAxis.valueMax = max(points[-1][0], points[0][0] + 1)
    steps = 4
    span = plot.xValueAxis.valueMax - plot.xValueAxis.valueMin
    ticks = [plot.xValueAxis.valueMin + span * i / steps for i in range(steps + 1)]
    plot.xValueAxis.valueSteps = ticks
    plot.xValueAxis.labelTextFormat = lambda x: pdf.fmt_date(date.fromordinal(int(x)))
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = pdf.FONT
        axis.labels.fontSize = 7
        axis.labels.fillColor = pdf.MUTED
    plot.yValueAxis.labelTextFormat = lambda y: _num(Decimal(str(round(y, 2))))
    drawing.add(plot)
    return drawing


def indicators(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    items = list(ctx.project.indicators.all())
    if not items:
        return []
    story: list[Flowable] = [CondPageBreak(40 * mm), pdf.para(_("Indicators"), s["H1"])]
    for ind in items:
        unit = f" {ind.unit}" if ind.unit else ""
        figures = _("Current: %(current)s · target: %(target)s · baseline: %(baseline)s") % {
            "current": _num(ind.current) + unit,
            "target": _num(ind.target) + unit,
            "baseline": _num(ind.baseline) + unit,
        }
        block: list[Flowable] = [
            pdf.para(ind.shown("name", ctx.lang), s["H2"]),
            pdf.para(figures, s["Body"]),
            _progress_bar(ind),
        ]
        values = ind.recent_values
        if len(values) >= 2:
            block.append(_history_chart(values))
        story.append(KeepTogether(block))
    return story


def updates(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    items = list(
        ctx.project.updates.select_related("author").order_by("-created_at", "-id")[:MAX_UPDATES]
    )
    if not items:
        return []
    story: list[Flowable] = [CondPageBreak(30 * mm), pdf.para(_("Latest updates"), s["H1"])]
    for u in items:
        who = u.author.public_name if u.author else ""
        story += [
            pdf.para(f"{pdf.fmt_date(u.created_at)} · {who}".strip(" ·"), s["Small"]),
            pdf.para(u.shown("text", ctx.lang), s["Body"]),
            Spacer(1, 2 * mm),
        ]
    return story


def story_section(ctx: Context) -> list[Flowable]:
    from .selectors import stories_visible_to

    s = ctx.styles
    story = (
        stories_visible_to(ctx.reader)
        .filter(project=ctx.project, published_at__isnull=False)
        .first()
    )
    if story is None:
        return []
    out: list[Flowable] = [
        CondPageBreak(40 * mm),
        pdf.para(_("Story"), s["H1"]),
        pdf.para(
            localized(story, "title", ctx.lang) or localized(ctx.project, "title", ctx.lang),
            s["H2"],
        ),
        pdf.para(localized(story, "narrative", ctx.lang), s["Body"]),
    ]
    for field, label in (
        ("worked", _("What worked")),
        ("did_not_work", _("What did not")),
        ("lessons", _("Lessons")),
    ):
        text = localized(story, field, ctx.lang)
        if text:
            out += [pdf.para(label, s["H2"]), pdf.para(text, s["Body"])]
    return out


SECTIONS = [header, timeline, milestones, indicators, updates, story_section]


def _load(project: Project) -> Project:
    """The project with what the sections read, in a constant number of queries."""
    project = (
        Project.objects.filter(pk=project.pk)
        .select_related("event")
        .prefetch_related(
            "organizations",
            "partners",
            "transitions",
            "milestones",
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id")),
        )
        .get()
    )
    for ind in project.indicators.all():
        recent = list(
            IndicatorValue.objects.filter(indicator=ind)
            .order_by("-measured_on", "-id")
            .values_list("measured_on", "value")[:MAX_POINTS]
        )
        ind.recent_values = list(reversed(recent))
    return project


def write_project_report(project: Project, out: IO[bytes], *, lang: str, reader) -> None:
    """Render the report of ``project``; the caller got it from ``projects_visible_to``."""
    with translation.override(lang):
        ctx = Context(project=_load(project), lang=lang, styles=pdf.styles(), reader=reader)
        flowables: list[Flowable] = []
        for section in SECTIONS:
            flowables += section(ctx)
        title = f"{_('Project status report')} — {localized(project, 'title', lang)}"
        meta = pdf.Meta(title=title, subject=_("Project status report"), lang=lang)
        pdf.build(flowables, meta, out)


def project_report(project: Project, *, lang: str, reader) -> bytes:
    return pdf.to_bytes(lambda out: write_project_report(project, out, lang=lang, reader=reader))


# --- the funder's portfolio: every project of a filtered dashboard in one PDF -----------

MAX_PORTFOLIO = 100


def _portfolio_summary(projects: list[Project], s, filters: list[tuple[str, str]]) -> list:
    phases = dict(Phase.choices)
    story: list[Flowable] = [
        pdf.para(_("Project portfolio"), s["Kicker"]),
        pdf.para(_("Projects at a glance"), s["Cover"]),
    ]
    if filters:
        story.append(
            pdf.para(
                _("Filters: %(filters)s") % {"filters": "; ".join(f"{k}: {v}" for k, v in filters)},
                s["Body"],
            )
        )
    story.append(
        pdf.para(
            _("Generated on %(date)s") % {"date": pdf.fmt_datetime(timezone.now())}, s["Small"]
        )
    )
    rows = [pdf.header_row(s, _("Project"), _("Phase"), _("Progress"), _("Late"), _("Partners"))]
    for p in projects:
        progress = p.progress_percent
        rows.append(
            [
                pdf.para(localized(p, "title", translation.get_language()), s["Cell"]),
                pdf.para(phases.get(p.phase, p.phase), s["Cell"]),
                pdf.para("—" if progress is None else f"{progress}\u00a0%", s["Cell"]),
                pdf.para(str(getattr(p, "late_milestone_count", 0) or 0), s["Cell"]),
                pdf.para(", ".join(o.name for o in p.partners.all()), s["Cell"]),
            ]
        )
    story += [
        pdf.para(_("Summary"), s["H1"]),
        _table(rows, [52 * mm, 30 * mm, 28 * mm, 22 * mm, 42 * mm]),
    ]
    return story


def write_portfolio(projects, out: IO[bytes], *, lang: str, reader, filters=()) -> None:
    """One PDF for a funder's filtered portfolio: a summary table, then each project's
    status (header, phases, milestones, indicators; no journal, no story)."""
    from reportlab.platypus import PageBreak

    with translation.override(lang):
        s = pdf.styles()
        projects = list(projects[:MAX_PORTFOLIO])
        flowables = _portfolio_summary(projects, s, list(filters))
        for project in projects:
            ctx = Context(project=_load(project), lang=lang, styles=s, reader=reader)
            flowables.append(PageBreak())
            for section in (header, timeline, milestones, indicators):
                flowables += section(ctx)
        title = _("Project portfolio")
        meta = pdf.Meta(title=title, subject=title, lang=lang)
        pdf.build(flowables, meta, out)
