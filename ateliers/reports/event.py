"""The event report organizers send their funders: one function per section.

Each section takes the ``Context`` and returns flowables, or nothing when its data does
not exist (no requests, no ideas...). Counts are aggregated in the database and lists are
capped, so a large event costs a few queries and bounded memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, Table, TableStyle

from ..choices import HelpStatus, IdeaStatus, RegistrationRole
from ..i18n import localized
from ..models import (
    Event,
    HelpRequest,
    Idea,
    Participant,
    Registration,
    Skill,
    Vote,
)
from ..models.help import CLAIMED_STATUSES
from . import pdf
from .charts import bar_chart

MAX_LIST = 200  # rows of a list section; the figures still count everything
TOP_IDEAS = 5  # per theme


@dataclass
class Context:
    event: Event
    lang: str
    styles: object
    figures: dict[str, int] = field(default_factory=dict)


Section = Callable[[Context], list[Flowable]]


def _table(rows: list[list], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c9d0dc")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), pdf.LIGHT))
    table.setStyle(TableStyle(style))
    return table


def cover(ctx: Context) -> list[Flowable]:
    s, event = ctx.styles, ctx.event
    story: list[Flowable] = [
        Spacer(1, 40 * mm),
        pdf.para(_("Event report"), s["Kicker"]),
        pdf.para(localized(event, "title", ctx.lang), s["Cover"]),
        pdf.para(
            f"{pdf.fmt_datetime(event.starts_at)} – {pdf.fmt_datetime(event.ends_at)}", s["Body"]
        ),
    ]
    if event.venue:
        story.append(pdf.para(event.venue, s["Body"]))
    description = localized(event, "description", ctx.lang)
    if description:
        story += [Spacer(1, 8 * mm), pdf.para(description[:1500], s["Body"])]
    story += [
        Spacer(1, 12 * mm),
        pdf.para(
            _("Generated on %(date)s") % {"date": pdf.fmt_datetime(timezone.now())}, s["Small"]
        ),
        PageBreak(),
    ]
    return story


def collect_figures(ctx: Context) -> None:
    """The day in figures, counted in the database (one query per table)."""
    event = ctx.event
    regs = Registration.objects.filter(event=event).aggregate(
        organizations=Count("id", filter=Q(role=RegistrationRole.ORGANIZATION)),
        experts=Count("id", filter=Q(role=RegistrationRole.EXPERT)),
        participants=Count("id", filter=Q(role=RegistrationRole.PARTICIPANT)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    requests = HelpRequest.objects.filter(event=event).aggregate(
        requests=Count("id"),
        claimed=Count("id", filter=Q(status__in=CLAIMED_STATUSES)),
        resolved=Count("id", filter=Q(status=HelpStatus.RESOLVED)),
    )
    ctx.figures.update(regs)
    ctx.figures.update(requests)
    ctx.figures["themes"] = event.themes.count()
    ctx.figures["board_participants"] = Participant.objects.filter(event=event).count()
    ctx.figures["ideas"] = Idea.objects.filter(event=event, status=IdeaStatus.VISIBLE).count()
    ctx.figures["votes"] = Vote.objects.filter(idea__event=event).count()
    held = _meetings_held(event).aggregate(n=Count("id"), orgs=Count("organization", distinct=True))
    if held["n"]:
        ctx.figures["consultations"] = held["n"]
        ctx.figures["organizations_served"] = held["orgs"]


def figure_labels() -> dict[str, str]:
    return {
        "organizations": _("Organisations"),
        "experts": _("Experts"),
        "participants": _("Registered participants"),
        "board_participants": _("People on the board"),
        "checked_in": _("Checked in"),
        "themes": _("Themes"),
        "ideas": _("Ideas"),
        "votes": _("Votes"),
        "requests": _("Help requests"),
        "claimed": _("Requests claimed"),
        "resolved": _("Requests resolved"),
        "consultations": _("Consultations held"),
        "organizations_served": _("Organisations served"),
        "projects": _("Resulting projects"),
    }


def figures(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    cells = [
        [pdf.para(ctx.figures[key], s["Figure"]), pdf.para(label, s["FigureLabel"])]
        for key, label in figure_labels().items()
        if key in ctx.figures
    ]
    per_row = 4
    rows = []
    for i in range(0, len(cells), per_row):
        chunk = cells[i : i + per_row]
        chunk += [""] * (per_row - len(chunk))
        rows.append(chunk)
    table = Table(rows, colWidths=[43 * mm] * per_row)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.white),
                ("INNERGRID", (0, 0), (-1, -1), 3, colors.white),
                ("BACKGROUND", (0, 0), (-1, -1), pdf.LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return [pdf.para(_("The day in figures"), s["H1"]), table]


def charts(ctx: Context) -> list[Flowable]:
    event = ctx.event
    story: list[Flowable] = []
    roles = dict(RegistrationRole.choices)
    by_role = (
        Registration.objects.filter(event=event)
        .values("role")
        .annotate(n=Count("id"))
        .order_by("role")
    )
    items = [(str(roles.get(row["role"], row["role"])), row["n"]) for row in by_role]
    if items:
        story += [Spacer(1, 4 * mm), bar_chart(_("Registrations by role"), items)]
    ideas = Idea.objects.filter(event=event, status=IdeaStatus.VISIBLE)
    per_theme = {
        row["theme"]: row
        for row in ideas.values("theme").annotate(n=Count("id"), v=Sum("votes")).order_by()
    }
    if per_theme:
        names = _theme_names(ctx)
        idea_items = [(names.get(k, _("No theme")), row["n"]) for k, row in per_theme.items()]
        vote_items = [(names.get(k, _("No theme")), row["v"] or 0) for k, row in per_theme.items()]
        story += [
            Spacer(1, 4 * mm),
            bar_chart(_("Ideas per theme"), idea_items, other=_("Other themes")),
            Spacer(1, 4 * mm),
            bar_chart(_("Votes per theme"), vote_items, other=_("Other themes")),
        ]
    by_skill = (
        Skill.objects.filter(help_requests__event=event)
        .annotate(n=Count("help_requests"))
        .order_by("-n", "slug")
    )
    items = [(localized(skill, "name", ctx.lang) or skill.slug, skill.n) for skill in by_skill]
    if items:
        story += [
            Spacer(1, 4 * mm),
            bar_chart(_("Help requests by skill"), items, other=_("Other skills")),
        ]
    if story:
        story.insert(0, pdf.para(_("Charts"), ctx.styles["H1"]))
    return story


def _theme_names(ctx: Context) -> dict[int | None, str]:
    return {t.pk: localized(t, "name", ctx.lang) for t in ctx.event.themes.all()}


def top_ideas(ctx: Context) -> list[Flowable]:
    """The most-voted visible ideas of each theme, in one windowed query."""
    s = ctx.styles
    ranked = (
        Idea.objects.filter(event=ctx.event, status=IdeaStatus.VISIBLE)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("theme_id")],
                order_by=[F("votes").desc(), F("id").asc()],
            )
        )
        .filter(rank__lte=TOP_IDEAS)
        .values("theme_id", "text", "votes", "comment_count", "rank")
    )
    groups: dict[int | None, list[dict]] = {}
    for row in ranked:
        groups.setdefault(row["theme_id"], []).append(row)
    if not groups:
        return []
    themes = list(ctx.event.themes.all())
    order = [t.pk for t in themes if t.pk in groups] + ([None] if None in groups else [])
    names = _theme_names(ctx)
    story: list[Flowable] = [CondPageBreak(40 * mm), pdf.para(_("Top ideas per theme"), s["H1"])]
    for key in order:
        rows = [pdf.header_row(s, "#", _("Idea"), _("Votes"), _("Comments"))]
        for row in sorted(groups[key], key=lambda r: r["rank"]):
            rows.append(
                [
                    pdf.para(row["rank"], s["Cell"]),
                    pdf.para(row["text"], s["Cell"]),
                    pdf.para(row["votes"], s["Cell"]),
                    pdf.para(row["comment_count"], s["Cell"]),
                ]
            )
        story += [
            CondPageBreak(30 * mm),
            pdf.para(names.get(key, _("No theme")), s["H2"]),
            _table(rows, [10 * mm, 106 * mm, 24 * mm, 34 * mm]),
        ]
    return story


def help_requests(ctx: Context) -> list[Flowable]:
    """Requests that an expert claimed or resolved, with who helped whom."""
    s = ctx.styles
    statuses = dict(HelpStatus.choices)
    qs = (
        HelpRequest.objects.filter(event=ctx.event, status__in=CLAIMED_STATUSES)
        .select_related("organization", "claimed_by")
        .order_by("organization__name", "title", "id")
    )[:MAX_LIST]
    rows = [pdf.header_row(s, _("Request"), _("Organisation"), _("Expert"), _("Status"))]
    for request in qs:
        rows.append(
            [
                pdf.para(request.title, s["Cell"]),
                pdf.para(request.organization.name, s["Cell"]),
                pdf.para(request.claimed_by.public_name if request.claimed_by else "—", s["Cell"]),
                pdf.para(statuses.get(request.status, request.status), s["Cell"]),
            ]
        )
    if len(rows) == 1:
        return []
    story: list[Flowable] = [
        CondPageBreak(40 * mm),
        pdf.para(_("Help requests claimed and resolved"), s["H1"]),
        _table(rows, [62 * mm, 45 * mm, 40 * mm, 27 * mm]),
    ]
    if ctx.figures.get("claimed", 0) > MAX_LIST:
        story.append(
            pdf.para(
                _("First %(n)s of %(total)s.") % {"n": MAX_LIST, "total": ctx.figures["claimed"]},
                s["Small"],
            )
        )
    return story


def _meetings_held(event: Event):
    """Meetings that took place: of the published schedule (a draft was not held), in
    rounds already started — before the event the report shows no consultation figure."""
    from .stats import held_meetings

    return held_meetings(event)


def consultations(ctx: Context) -> list[Flowable]:
    """Who met whom, round by round (times from the schedule's rounds)."""
    s = ctx.styles
    meetings = list(
        _meetings_held(ctx.event)
        .select_related("organization", "expert", "schedule")
        .order_by("round", "table", "id")[:MAX_LIST]
    )
    if not meetings:
        return []
    rounds = meetings[0].schedule.rounds or []
    slugs = {slug for m in meetings for slug in (m.skills or [])}
    skill_names = {
        skill.slug: localized(skill, "name", ctx.lang) or skill.slug
        for skill in Skill.objects.filter(slug__in=slugs)
    }

    def when(number: int) -> str:
        from django.utils.dateparse import parse_datetime

        if 1 <= number <= len(rounds):
            start = parse_datetime(str(rounds[number - 1].get("starts_at", "")))
            if start is not None:
                return f"{number} · {pdf.fmt_datetime(start, 'TIME_FORMAT')}"
        return str(number)

    rows = [
        [
            pdf.para(_("Round"), s["CellBold"]),
            pdf.para(_("Table"), s["CellBold"]),
            pdf.para(_("Organisation"), s["CellBold"]),
            pdf.para(_("Expert"), s["CellBold"]),
            pdf.para(_("Skills"), s["CellBold"]),
        ]
    ]
    for m in meetings:
        rows.append(
            [
                pdf.para(when(m.round), s["Cell"]),
                pdf.para(m.table, s["Cell"]),
                pdf.para(m.organization.name, s["Cell"]),
                pdf.para(m.expert.public_name, s["Cell"]),
                pdf.para(", ".join(skill_names.get(k, str(k)) for k in m.skills or []), s["Cell"]),
            ]
        )
    story: list[Flowable] = [
        CondPageBreak(40 * mm),
        pdf.para(_("Consultations held"), s["H1"]),
        _table(rows, [24 * mm, 18 * mm, 50 * mm, 40 * mm, 42 * mm]),
    ]
    total = ctx.figures.get("consultations", 0)
    if total > MAX_LIST:
        story.append(
            pdf.para(_("First %(n)s of %(total)s.") % {"n": MAX_LIST, "total": total}, s["Small"])
        )
    return story


def programme(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    slots = list(ctx.event.slots.all()[:MAX_LIST])
    if not slots:
        return []
    rows = [pdf.header_row(s, _("Time"), _("What"), _("Room"))]
    for slot in slots:
        rows.append(
            [
                pdf.para(
                    f"{pdf.fmt_datetime(slot.starts_at, 'TIME_FORMAT')} – "
                    f"{pdf.fmt_datetime(slot.ends_at, 'TIME_FORMAT')}",
                    s["Cell"],
                ),
                pdf.para(localized(slot, "title", ctx.lang), s["Cell"]),
                pdf.para(slot.room, s["Cell"]),
            ]
        )
    return [
        CondPageBreak(40 * mm),
        pdf.para(_("Programme"), s["H1"]),
        _table(rows, [35 * mm, 105 * mm, 34 * mm]),
    ]


COLLECTORS: list[Callable[[Context], None]] = [collect_figures]
SECTIONS: list[Section] = [
    cover,
    figures,
    charts,
    top_ideas,
    help_requests,
    consultations,
    programme,
]


def add_part(section: Section, *, before: Section, collect: Callable[[Context], None]) -> None:
    """An app above ``ateliers`` adds its figures and its section to the report, from its
    ``AppConfig.ready()`` (``projets``: the projects born at the event, before the
    programme): ``ateliers`` never imports the apps above it."""
    if section not in SECTIONS:
        SECTIONS.insert(SECTIONS.index(before), section)
    if collect not in COLLECTORS:
        COLLECTORS.append(collect)


def write_event_report(event: Event, out: IO[bytes], *, lang: str) -> None:
    """Render the report into ``out`` (a file or buffer), labels in ``lang``."""
    with translation.override(lang):
        ctx = Context(event=event, lang=lang, styles=pdf.styles())
        for collect in COLLECTORS:
            collect(ctx)
        story: list[Flowable] = []
        for section in SECTIONS:
            story += section(ctx)
        title = f"{_('Event report')} — {localized(event, 'title', lang)}"
        meta = pdf.Meta(title=title, subject=_("Event report"), lang=lang)
        pdf.build(story, meta, out)


def event_report(event: Event, *, lang: str) -> bytes:
    """The event report as PDF bytes."""
    return pdf.to_bytes(lambda out: write_event_report(event, out, lang=lang))
