"""Live polls on the pages: guests answer with a plain form; moderators and
facilitators create, open and close polls. ``frontend/js/polls.js`` makes it live."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from ateliers.models import Poll
from ateliers.permissions import can_run_polls, is_account
from ateliers.services import polls as poll_services

from ..errors import act, save_posted
from ..forms.polls import PollForm
from .board import _event, _participant


def _next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _runner_event(request, pk: int):
    if not is_account(request.user):
        return None
    event = _event(request, pk)
    if not can_run_polls(request.user, event):
        raise PermissionDenied
    return event


@cache_control(no_store=True)
def polls_page(request, pk: int, form: PollForm | None = None):
    """The polls of one event for the people who run them (facilitators have no
    moderation page; moderators also find these controls there)."""
    event = _runner_event(request, pk)
    if event is None:
        return redirect(f"{reverse('frontend:login')}?next={request.path}")
    return render(
        request,
        "frontend/board/polls.html",
        {"event": event, "poll_form": form},
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def poll_create(request, pk: int):
    event = _runner_event(request, pk)
    if event is None:
        raise PermissionDenied
    form = PollForm(request.POST, auto_id="poll_%s")
    if save_posted(
        request,
        form,
        lambda: poll_services.poll_create(
            actor=request.user,
            event=event,
            kind=form.cleaned_data["kind"],
            question_fr=form.cleaned_data["question_fr"],
            question_en=form.cleaned_data["question_en"],
            choices=form.choices(),
        ),
        rename={"choices": "choices_fr"},
    ):
        messages.success(request, _("The poll is ready: open it when the room is."))
        return redirect(_next(request, reverse("frontend:polls", kwargs={"pk": event.pk})))
    return polls_page(request, pk, form=form)


@require_POST
def poll_status(request, pk: int, poll_pk: int):
    event = _runner_event(request, pk)
    if event is None:
        raise PermissionDenied
    poll = get_object_or_404(Poll, pk=poll_pk, event=event)
    act(
        request,
        lambda: poll_services.poll_set_status(
            actor=request.user, poll=poll, status=request.POST.get("status", "")
        ),
        done=_("Done."),
    )
    return redirect(_next(request, reverse("frontend:polls", kwargs={"pk": event.pk})))


@require_POST
def poll_answer(request, pk: int, poll_pk: int):
    """A guest's answer from the plain form (radio buttons, check boxes or a text)."""
    event = _event(request, pk)
    participant = _participant(request, event)
    if participant is None:
        return redirect(f"{reverse('frontend:join')}?code={event.join_code}")
    poll = get_object_or_404(Poll, pk=poll_pk, event=event)
    if poll.kind == "words":
        data = {"text": request.POST.get("text", "")}
    else:
        raw = request.POST.getlist("choice")
        data = {"choices": [int(v) for v in raw if v.isdigit() and len(v) < 12]}
    act(
        request,
        lambda: poll_services.poll_answer(participant=participant, poll=poll, **data),
        done=_("Your answer is recorded."),
    )
    return redirect(reverse("frontend:board", kwargs={"pk": event.pk}) + f"#poll-{poll.pk}")
