"""Consultation schedule pages: the organizer's board (generate, inspect, pin, remove,
publish, sign-in sheets) and each person's agenda. All of it works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ateliers.choices import RegistrationRole
from ateliers.exceptions import DomainError
from ateliers.models import Meeting, Organization, Registration, User
from ateliers.permissions import can_see_schedule
from ateliers.schedule.pdf import signin_pdf
from ateliers.selectors import events as event_selectors
from ateliers.selectors import people as people_selectors
from ateliers.selectors import schedule as reads
from ateliers.services import schedule as services

from ..errors import SERVICE_ERRORS, error_messages, error_text, form_errors
from ..forms.schedule import GenerateForm, PinForm, WishesForm
from .organizer import organizer_required


def _event(request, pk: int):
    return get_object_or_404(event_selectors.events_visible_to(request.user), pk=pk)


def _initial(event, schedule) -> dict:
    if schedule is not None and schedule.rounds:
        times = reads.round_times(schedule)
        first, end = times[0]
        length = int((end - first).total_seconds() // 60)
        gap = int((times[1][0] - end).total_seconds() // 60) if len(times) > 1 else 5
        return {
            "first_start": timezone.localtime(first).strftime("%Y-%m-%dT%H:%M"),
            "rounds": len(times),
            "minutes": length,
            "break_minutes": max(gap, 0),
            "tables": schedule.tables,
            "max_meetings_per_organization": schedule.max_meetings_per_organization,
            "max_meetings_per_expert": schedule.max_meetings_per_expert,
        }
    return {
        "first_start": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "rounds": 4,
        "minutes": 20,
        "break_minutes": 5,
        "tables": max(1, event.registrations.filter(role=RegistrationRole.EXPERT).count()),
    }


@organizer_required
def schedule_manage(request, pk: int):
    event = _event(request, pk)
    schedule = reads.schedule_of(event)
    form = GenerateForm(request.POST or None, initial=_initial(event, schedule))
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_generate(
                actor=request.user,
                event=event,
                rounds=form.rounds_list(),
                tables=form.cleaned_data["tables"],
                max_meetings_per_organization=form.cleaned_data["max_meetings_per_organization"],
                max_meetings_per_expert=form.cleaned_data["max_meetings_per_expert"],
            )
        except SERVICE_ERRORS as exc:
            form_errors(form, exc, rename={"rounds": "first_start"})
        else:
            messages.success(request, _("The consultation schedule is ready."))
            return redirect("frontend:organizer-schedule", pk=event.pk)
    view = request.GET.get("view", "round")
    context = {
        "event": event,
        "schedule": schedule,
        "form": form,
        "view": view,
        "org_options": (org_options := _org_options(event)),
        "has_priorities": any(reg.priority for reg in org_options),
        "priority_choices": PRIORITY_CHOICES,
        "size_choices": SIZE_CHOICES,
    }
    if schedule is not None:
        context.update(_board(schedule, event))
        context["pin_form"] = PinForm(event=event, schedule=schedule)
    return render(request, "frontend/schedule/manage.html", context)


def _board(schedule, event) -> dict:
    times = reads.round_times(schedule)
    names = people_selectors.skill_names()
    meetings = list(reads.meetings(schedule))
    by_round = []
    for number, (start, end) in enumerate(times, start=1):
        rows = [m for m in meetings if m.round == number]
        for m in rows:
            m.reason_list = reads.reasons(m, names)
        by_round.append({"number": number, "starts_at": start, "ends_at": end, "meetings": rows})
    orgs: dict[int, dict] = {}
    experts: dict[int, dict] = {}
    regs = Registration.objects.filter(event=event).select_related("organization", "user")
    for r in regs:
        if r.role == RegistrationRole.ORGANIZATION:
            orgs[r.organization_id] = {"id": r.organization_id, "name": r.organization.name, "n": 0}
        elif r.role == RegistrationRole.EXPERT:
            experts[r.user_id] = {"id": r.user_id, "name": r.user.public_name, "n": 0}
    for m in meetings:
        if m.organization_id in orgs:
            orgs[m.organization_id]["n"] += 1
        for expert in reads.experts_of(m):
            if expert.pk in experts:
                experts[expert.pk]["n"] += 1
    from ateliers.selectors.matching import organization_needs

    needs = organization_needs(event)
    stats = schedule.stats or {}
    bound = stats.get("upper_bound") or 0
    ratio = (stats.get("objective", 0) / bound * 100) if bound else 100
    return {
        "rounds": by_round,
        "orgs": sorted(orgs.values(), key=lambda o: (o["name"].lower(), o["id"])),
        "experts": sorted(experts.values(), key=lambda e: (e["name"].lower(), e["id"])),
        "stats": stats,
        "ratio": ratio,
        "unserved": sum(1 for o in orgs.values() if o["n"] == 0),
        "without_needs": sorted(o["name"] for o in orgs.values() if not needs.get(o["id"])),
    }


def _schedule_or_404(event):
    schedule = reads.schedule_of(event)
    if schedule is None:
        raise Http404
    return schedule


@organizer_required
@require_POST
def schedule_publish(request, pk: int):
    event = _event(request, pk)
    try:
        services.schedule_publish(actor=request.user, schedule=_schedule_or_404(event))
    except SERVICE_ERRORS as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Published: everyone can see their agenda."))
    return redirect("frontend:organizer-schedule", pk=event.pk)


def _report_changes(request, schedule, done: str) -> None:
    """Say exactly who moved: one message line per meeting added, moved or cancelled."""
    lines = services.change_lines(schedule, getattr(schedule, "changes", []))
    messages.success(request, done)
    if lines:
        messages.info(request, _("What changed: %(list)s") % {"list": " ".join(lines)})
    else:
        messages.info(request, _("Nobody else's meeting changed."))


@organizer_required
@require_POST
def meeting_pin(request, pk: int, meeting_pk: int):
    event = _event(request, pk)
    schedule = _schedule_or_404(event)
    meeting = get_object_or_404(Meeting, pk=meeting_pk, schedule=schedule)
    services.meeting_pin(
        actor=request.user, schedule=schedule, meeting=meeting, pinned=not meeting.pinned
    )
    return redirect(
        reverse("frontend:organizer-schedule", args=[event.pk]) + f"#round-{meeting.round}"
    )


@organizer_required
@require_POST
def meeting_pin_new(request, pk: int):
    event = _event(request, pk)
    schedule = _schedule_or_404(event)
    form = PinForm(request.POST, event=event, schedule=schedule)
    if form.is_valid():
        data = form.cleaned_data
        try:
            schedule = services.meeting_pin(
                actor=request.user,
                schedule=schedule,
                organization=get_object_or_404(Organization, pk=data["organization"]),
                expert=get_object_or_404(User, pk=data["expert"]),
                round=data["round"],
                table=data["table"],
            )
        except SERVICE_ERRORS as exc:
            for error in error_messages(exc):
                messages.error(request, error)
        else:
            _report_changes(request, schedule, _("Pinned."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("frontend:organizer-schedule", pk=event.pk)


@organizer_required
@require_POST
def meeting_remove(request, pk: int, meeting_pk: int):
    event = _event(request, pk)
    schedule = _schedule_or_404(event)
    meeting = get_object_or_404(Meeting, pk=meeting_pk, schedule=schedule)
    try:
        schedule = services.meeting_remove(actor=request.user, schedule=schedule, meeting=meeting)
    except SERVICE_ERRORS as exc:
        messages.error(request, error_text(exc, sep="; "))
    else:
        _report_changes(
            request, schedule, _("Meeting removed; these two will not be matched again.")
        )
    return redirect(
        reverse("frontend:organizer-schedule", args=[event.pk]) + f"#round-{meeting.round}"
    )


@organizer_required
@require_POST
def meeting_no_show(request, pk: int, meeting_pk: int):
    """Someone did not come: the meeting goes, the one who came gets a new partner."""
    event = _event(request, pk)
    schedule = _schedule_or_404(event)
    meeting = get_object_or_404(Meeting, pk=meeting_pk, schedule=schedule)
    try:
        schedule = services.meeting_no_show(
            actor=request.user,
            schedule=schedule,
            meeting=meeting,
            absent=request.POST.get("absent", ""),
        )
    except SERVICE_ERRORS as exc:
        messages.error(request, error_text(exc, sep="; "))
    else:
        _report_changes(request, schedule, _("No-show noted."))
    return redirect(
        reverse("frontend:organizer-schedule", args=[event.pk]) + f"#round-{meeting.round}"
    )


PRIORITY_CHOICES = [0, 1, 2, 3]
SIZE_CHOICES = [1, 2, 3]


def _org_options(event) -> list[Registration]:
    """The event's organisations with their priority and meeting size (one query)."""
    return list(
        Registration.objects.filter(event=event, role=RegistrationRole.ORGANIZATION)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )


def _save_org_options(request, event) -> int:
    """Save each organisation's changed priority and meeting size; how many changed."""
    changed = 0
    for reg in _org_options(event):
        wanted = {}
        for name, field in (("priority", "priority"), ("experts", "experts_per_meeting")):
            raw = request.POST.get(f"{name}-{reg.pk}")
            if raw is None:
                continue
            try:
                value = int(raw)
            except ValueError:
                raise ValidationError({field: [_("Choose a value from the list.")]}) from None
            if value != getattr(reg, field):
                wanted[field] = value
        if wanted:
            services.registration_consultation_options(
                actor=request.user, registration=reg, **wanted
            )
            changed += 1
    return changed


@organizer_required
@require_POST
def organization_options(request, pk: int):
    """The organizers' choices per organisation: priority and experts per meeting (one
    form for all; the next build uses them)."""
    event = _event(request, pk)
    changed = 0
    try:
        with transaction.atomic():  # all or nothing: one bad value saves none
            changed = _save_org_options(request, event)
    except SERVICE_ERRORS as exc:
        messages.error(request, error_text(exc, sep="; "))
    else:
        messages.success(
            request,
            ngettext(
                "Saved for %(n)d organisation; build the schedule again to use it.",
                "Saved for %(n)d organisations; build the schedule again to use it.",
                changed,
            )
            % {"n": changed},
        )
    return redirect(reverse("frontend:organizer-schedule", args=[event.pk]) + "#options-title")


@organizer_required
def signin_sheet(request, pk: int, number: int):
    """A printable sheet for the venue: per table, who sits there, and room to sign."""
    event = _event(request, pk)
    schedule = _schedule_or_404(event)
    times = reads.round_times(schedule)
    if not 1 <= number <= len(times):
        raise Http404
    rows = list(reads.meetings(schedule).filter(round=number))
    start, end = times[number - 1]
    if request.GET.get("format") == "pdf":
        payload = signin_pdf(
            event_title=event.title,
            number=number,
            starts_at=start,
            ends_at=end,
            rows=[(m.table, m.experts_label, m.organization.name) for m in rows],
        )
        response = HttpResponse(payload, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="round-{number}-sign-in.pdf"'
        return response
    return render(
        request,
        "frontend/schedule/signin.html",
        {
            "event": event,
            "number": number,
            "starts_at": start,
            "ends_at": end,
            "meetings": rows,
            "round_count": len(times),
        },
    )


@login_required
def agenda_page(request, pk: int):
    """A person's own consultations (organizers: ``?organization=`` or ``?expert=``)."""
    event = _event(request, pk)
    schedule = reads.schedule_of(event)
    if not can_see_schedule(request.user, schedule):
        return render(
            request,
            "frontend/schedule/agenda.html",
            {"event": event, "schedule": None, "entries": []},
        )
    organization = request.GET.get("organization")
    expert = request.GET.get("expert")
    try:
        who, entries = reads.agenda_for(
            request.user, schedule, organization=organization, expert=expert
        )
    except ValidationError as exc:
        raise Http404 from exc
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied from exc
    query = ""
    if organization:
        query = f"?organization={int(organization)}"
    elif expert:
        query = f"?expert={int(expert)}"
    return render(
        request,
        "frontend/schedule/agenda.html",
        {
            "event": event,
            "schedule": schedule,
            "who": who,
            "entries": entries,
            "query": query,
        },
    )


def _my_registrations(request, event):
    from django.db.models import Q

    return list(
        Registration.objects.filter(event=event)
        .filter(
            Q(role=RegistrationRole.EXPERT, user=request.user)
            | Q(
                role=RegistrationRole.ORGANIZATION,
                organization__memberships__user=request.user,
            )
        )
        .select_related("organization")
        .distinct()
        .order_by("role", "id")
    )


def _wishes_initial(registration) -> dict:
    initial = {"registration": registration.pk, "max_meetings": registration.max_meetings}
    if registration.available:
        window = registration.available[0]
        start = timezone.localtime(parse_datetime(window["starts_at"]))
        end = timezone.localtime(parse_datetime(window["ends_at"]))
        initial.update(available_from=start.time(), available_until=end.time())
    return initial


@login_required
def consultation_wishes(request, pk: int):
    """Experts and organisation members say how many consultations they want or can give,
    and when they are there (issue 19); the schedule respects both."""
    from datetime import datetime

    from ateliers.services import events as event_services

    event = _event(request, pk)
    registrations = _my_registrations(request, event)
    if request.method == "POST":
        form = WishesForm(request.POST)
        registration = None
        if form.is_valid():
            registration = next(
                (r for r in registrations if r.pk == form.cleaned_data["registration"]), None
            )
        if registration is None:
            messages.error(request, " ".join(form.non_field_errors()) or _("Check the form."))
        else:
            data = form.cleaned_data
            window = []
            if data["available_from"]:
                day = timezone.localtime(event.starts_at).date()
                tz = timezone.get_current_timezone()
                window = [
                    {
                        "starts_at": datetime.combine(day, data["available_from"], tz),
                        "ends_at": datetime.combine(day, data["available_until"], tz),
                    }
                ]
            try:
                event_services.registration_update(
                    actor=request.user,
                    registration=registration,
                    available=window,
                    max_meetings=data["max_meetings"],
                )
            except SERVICE_ERRORS as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Saved: the next schedule takes it into account."))
        return redirect("frontend:consultation-wishes", pk=event.pk)
    forms_by_registration = [
        (r, WishesForm(initial=_wishes_initial(r), auto_id=f"id_r{r.pk}_%s")) for r in registrations
    ]
    return render(
        request,
        "frontend/schedule/wishes.html",
        {"event": event, "forms": forms_by_registration},
    )
