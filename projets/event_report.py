"""The projects' part of an event's report and figures (``ateliers/reports/event.py``,
``ateliers/reports/stats.py``), added from ``ProjetsConfig.ready()``: the event report
lives in ``ateliers``, which never imports ``projets``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from ateliers.i18n import localized
from ateliers.models import Event
from ateliers.reports import event as event_report
from ateliers.reports import pdf, stats
from ateliers.reports.event import MAX_LIST, Context, _table

from .choices import Phase, Visibility
from .models import Project


def _event_projects(event: Event):
    """Projects born at the event. The report is for organizers, who see every project."""
    return Project.objects.filter(event=event).order_by("created_at", "id")


def project_count(event: Event) -> int:
    return _event_projects(event).count()


def collect_figures(ctx: Context) -> None:
    ctx.figures["projects"] = project_count(ctx.event)


def projects(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    phases, visibility = dict(Phase.choices), dict(Visibility.choices)
    qs = _event_projects(ctx.event).prefetch_related("organizations")[:MAX_LIST]
    rows = [pdf.header_row(s, _("Project"), _("Organisations"), _("Phase"), _("Visibility"))]
    for project in qs:
        rows.append(
            [
                pdf.para(localized(project, "title", ctx.lang), s["Cell"]),
                pdf.para(", ".join(o.name for o in project.organizations.all()), s["Cell"]),
                pdf.para(phases.get(project.phase, project.phase), s["Cell"]),
                pdf.para(visibility.get(project.visibility, project.visibility), s["Cell"]),
            ]
        )
    if len(rows) == 1:
        return []
    return [
        CondPageBreak(40 * mm),
        pdf.para(_("Resulting projects"), s["H1"]),
        _table(rows, [62 * mm, 48 * mm, 36 * mm, 28 * mm]),
    ]


def register() -> None:
    event_report.add_part(projects, before=event_report.programme, collect=collect_figures)
    stats.EXTRA_FIGURES["projects"] = project_count
