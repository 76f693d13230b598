"""The analytics page of an event (organizers): the figures of
``ateliers.reports.stats.event_stats`` (also ``GET /api/events/{id}/stats/``) as
server-side SVG charts (``projets.charts``), each with its data table."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ateliers.i18n import localized
from ateliers.permissions import is_organizer
from ateliers.reports.stats import event_stats
from ateliers.selectors import events as event_selectors
from projets import charts


def _when(value, granularity: str) -> str:
    value = timezone.localtime(value)
    if granularity == "hour":
        return date_format(value, "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


@login_required
def event_analytics(request, pk: int):
    if not is_organizer(request.user):
        raise PermissionDenied
    event = get_object_or_404(event_selectors.events_visible_to(request.user), pk=pk)
    stats = event_stats(event)
    lang = request.LANGUAGE_CODE
    table_note = _("The same figures are in the table below.")
    series = stats["participation"]
    for row in series:
        row["label"] = _when(row["at"], stats["granularity"])
    for theme in stats["themes"]:
        theme["name"] = (
            localized(SimpleNamespace(**theme), "name", lang) if theme["id"] else _("No theme")
        )
    desk = stats["help_desk"]
    rounds = stats["consultations"]["by_round"]
    chart_list = [
        charts.bar_chart(
            key="ideas-over-time",
            title=_("Ideas posted over time"),
            description=_("Bar chart of the ideas posted per period.") + " " + table_note,
            points=[(row["label"], row["ideas"]) for row in series[-24:]],
        ),
        charts.bar_chart(
            key="ideas-per-theme",
            title=_("Ideas per theme"),
            description=_("Bar chart of the visible ideas of each theme.") + " " + table_note,
            points=[(t["name"], t["ideas"]) for t in stats["themes"]],
        ),
        charts.bar_chart(
            key="votes-per-theme",
            title=_("Votes per theme"),
            description=_("Bar chart of the votes for the ideas of each theme.") + " " + table_note,
            points=[(t["name"], t["votes"]) for t in stats["themes"]],
        ),
        charts.bar_chart(
            key="help-desk",
            title=_("Help desk"),
            description=_("Bar chart of the help requests by status.") + " " + table_note,
            points=[
                (_("Open"), desk["open"]),
                (_("Claimed"), desk["claimed"]),
                (_("Resolved"), desk["resolved"]),
            ],
        ),
    ]
    if rounds:
        chart_list.append(
            charts.bar_chart(
                key="consultations",
                title=_("Consultations held per round"),
                description=_("Bar chart of the meetings held in each round.") + " " + table_note,
                points=[(_("Round %(n)s") % {"n": r["round"]}, r["meetings"]) for r in rounds],
            )
        )
    return render(
        request,
        "frontend/reports/analytics.html",
        {
            "event": event,
            "stats": stats,
            "charts": {c.key.replace("-", "_"): c for c in chart_list},
            "median_minutes": None
            if desk["median_wait_seconds"] is None
            else round(desk["median_wait_seconds"] / 60),
        },
    )
