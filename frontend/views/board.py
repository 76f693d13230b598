"""The live board's pages: join, the participant's board, the projector, moderation.

Every page works as plain HTML forms (post, vote, comment, moderate, refresh); the small
script ``frontend/js/board.js`` upgrades them to live WebSocket updates. Writes call the
same services as the API and the WebSocket consumer.
"""

from __future__ import annotations

import io
import uuid

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from api.throttles import JoinFailureThrottle
from api.views.board import device_of, remember_device
from ateliers.choices import IdeaStatus
from ateliers.exceptions import DomainError, NotFound
from ateliers.models import Comment, Event, Idea, Participant
from ateliers.permissions import can_moderate_event, is_account
from ateliers.selectors import board as board_selectors
from ateliers.selectors import events as event_selectors
from ateliers.services import board as board_services
from ateliers.services.events import normalize_join_code

from ..errors import SERVICE_ERRORS, act, error_text, errors_by_field
from ..inline import inline_assets, render_inline

SESSION_KEY = "board_tokens"
JOIN_FORM_KEY = "board_join_form"  # the client_id of the last join form that succeeded
# A phone's first load stays small however big the board grows: each theme shows its
# pinned and most supported ideas first, up to this many; "show all" lists the rest.
IDEAS_PER_THEME = 25
PROJECTOR_IDEAS_PER_THEME = 8


class _Placeholder:
    """What the ``<template>`` of an idea is rendered from; board.js fills it in."""

    pk = "__ID__"
    text = ""
    votes = 0
    comment_count = 0
    pinned = False
    status = "visible"
    author = {"display_name": ""}
    comments = {"all": ()}


def _event(request, pk: int) -> Event:
    return get_object_or_404(event_selectors.events_visible_to(request.user), pk=pk)


def _remember(request, participant: Participant) -> str:
    token = board_services.participant_token(participant)
    tokens = dict(request.session.get(SESSION_KEY, {}))
    tokens[str(participant.event_id)] = token
    request.session[SESSION_KEY] = tokens
    return token


def _participant(request, event: Event) -> Participant | None:
    """The visitor's identity on this board: an account's own, or the guest's from the
    session (set when joining with the code); ``None`` for a visitor who has not joined."""
    if is_account(request.user):
        return board_services.participant_for_user(event=event, user=request.user)
    token = request.session.get(SESSION_KEY, {}).get(str(event.pk))
    participant = board_services.participant_from_token(token) if token else None
    if participant is not None and participant.event_id == event.pk:
        return participant
    return None


def join(request):
    """Join a board with the event's code and a name (or anonymously); no account needed.

    The form may carry a first idea: one POST joins and posts it. The answer to a
    successful POST is the board itself (no redirect: one round trip fewer on a slow
    phone); board.js then replaces the address with the board's. Submitting the same form
    again (the browser's "resend") reuses the identity it created, and the idea's
    ``client_id`` makes its post idempotent."""
    code = (request.POST.get("code") or request.GET.get("code") or "")[:12]
    name = (request.POST.get("display_name") or "")[:80]
    anonymous = request.POST.get("anonymous") == "1"
    text = request.POST.get("text") or ""
    client_id = _uuid_or_new(request.POST.get("client_id"))
    errors = {}
    # The API's counter of wrong codes per address: the page is no way around it, and a
    # right code is never counted (a venue's phones share one address).
    wrong_codes = JoinFailureThrottle()
    if request.method == "POST" and not wrong_codes.allow_request(request, None):
        errors = {"code": _("Too many attempts. Wait a minute and try again.")}
        context = {"code": code, "display_name": name, "errors": errors, "inline": inline_assets()}
        return render_inline(render(request, "frontend/events/join.html", context, status=429))
    if request.method == "POST":
        device, new_device = device_of(request)
        try:
            participant = _resubmitted(request, code, client_id) or board_services.participant_join(
                code=code,
                display_name=name,
                user=request.user if is_account(request.user) else None,
                device=device,
                anonymous=anonymous,
            )
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in errors_by_field(exc).items()}
            if "display_name" in errors and not name.strip():
                errors["display_name"] = _("Give a name, or tick “Stay anonymous”.")
        except DomainError as exc:
            if isinstance(exc, NotFound):
                wrong_codes.record_failure(request)
            errors = {"code": error_text(exc)}
        else:
            _remember(request, participant)
            request.session[JOIN_FORM_KEY] = str(client_id)
            response = _joined(request, participant, text=text, client_id=client_id)
            remember_device(response, device, new_device)
            return response
    status = 400 if errors else 200
    response = render(
        request,
        "frontend/events/join.html",
        {
            "code": code,
            "display_name": name,
            "anonymous": anonymous,
            "text": text,
            "client_id": client_id,
            "errors": errors,
            "inline": inline_assets(),
        },
        status=status,
    )
    return render_inline(response)


def _uuid_or_new(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return uuid.uuid4()


def _resubmitted(request, code: str, client_id: uuid.UUID) -> Participant | None:
    """The identity this very join form created, when the browser sends it again."""
    if request.session.get(JOIN_FORM_KEY) != str(client_id):
        return None
    event = Event.objects.filter(join_code=normalize_join_code(code)).first()
    return _participant(request, event) if event is not None else None


def _joined(request, participant: Participant, *, text: str, client_id: uuid.UUID):
    """After joining: post the idea typed on the join form, if any, and show the board."""
    event = participant.event
    draft = ""
    if text.strip():
        try:
            idea, _created = board_services.idea_post(
                participant=participant, text=text, theme=None, client_id=client_id
            )
        except SERVICE_ERRORS as exc:
            messages.error(request, error_text(exc))
            draft = text
        else:
            messages.success(request, _posted_text(idea))
    return _board_page(request, event, participant, draft=draft)


def _board_context(
    request,
    event: Event,
    *,
    include_hidden: bool = False,
    limit: int | None = None,
    sort: str = "top",
) -> dict:
    """Theme columns of ideas, pinned first, then most supported (``sort="top"``) or
    newest (``"new"``): the order board.js keeps live.

    With ``limit``, the full rows (author, comments) are loaded only for the ideas shown:
    the ordering is decided on light ``(id, theme)`` rows, so a 2,000-idea board does not
    load 2,000 ideas and all their comments to show 25 per theme."""
    order = ("-pinned", "-id") if sort == "new" else ("-pinned", "-votes", "-id")
    ideas = Idea.objects.filter(event=event)
    if not include_hidden:
        ideas = ideas.filter(status=IdeaStatus.VISIBLE)
    else:  # pending ideas have their own queue on the moderation page
        ideas = ideas.filter(status__in=[IdeaStatus.VISIBLE, IdeaStatus.HIDDEN])
    themes = list(event.themes.all())
    theme_by_pk = {t.pk: t for t in themes}
    shown: dict[int | None, list[int]] = {}
    totals: dict[int | None, int] = {}
    for pk, theme_id in ideas.order_by(*order).values_list("pk", "theme_id"):
        key = theme_id if theme_id in theme_by_pk else None
        totals[key] = totals.get(key, 0) + 1
        if limit is None or totals[key] <= limit:
            shown.setdefault(key, []).append(pk)
    full = Idea.objects.filter(pk__in=[pk for pks in shown.values() for pk in pks])
    full = full.select_related("author").prefetch_related(
        Prefetch("comments", queryset=Comment.objects.select_related("participant").order_by("id"))
    )
    by_pk = {idea.pk: idea for idea in full}
    keys = [t.pk for t in themes]
    if totals.get(None) or not themes:
        keys.append(None)
    ordered = []
    for key in keys:
        column = {
            "theme": theme_by_pk.get(key),
            "ideas": [by_pk[pk] for pk in shown.get(key, ())],
            "total": totals.get(key, 0),
        }
        if column["total"] > len(column["ideas"]):
            column["more"] = column["total"] - len(column["ideas"])
        ordered.append(column)
    return {
        "event": event,
        "base": reverse("frontend:board", kwargs={"pk": event.pk}),
        "placeholder": _Placeholder(),
        "columns": ordered,
        "themes": themes,
        "seq": board_selectors.board_seq(event),
        "locked": event.board_locked or event.status == "closed",
    }


@cache_control(no_store=True)
def board(request, pk: int):
    """The participant's board: post, vote, comment; live when JavaScript runs.

    A visitor who has not joined reads it (and sees it live), with a link to join."""
    event = _event(request, pk)
    return _board_page(request, event, _participant(request, event))


def _board_page(request, event: Event, participant: Participant | None, *, draft: str = ""):
    """The board, its stylesheet and scripts inline (no request but the page's own)."""
    board_services.votes_flush(event_id=event.pk)
    show_all = request.GET.get("all") == "1"
    sort = _sort_choice(request)
    context = _board_context(request, event, limit=None if show_all else IDEAS_PER_THEME, sort=sort)
    context.update(
        sort=sort,
        participant=participant,
        token=board_services.participant_token(participant) if participant else "",
        my_votes=set(participant.votes.values_list("idea_id", flat=True)) if participant else set(),
        my_pending=list(
            participant.ideas.filter(status__in=board_selectors.UNPUBLISHED).order_by("id")
        )
        if participant
        else [],
        client_id=uuid.uuid4(),
        draft=draft,
        mode="board",
        join_url=f"{reverse('frontend:join')}?code={event.join_code}",
        inline=inline_assets(),
    )
    response = render(request, "frontend/board/board.html", context)
    add_never_cache_headers(response)
    if request.GET.get("sort") in SORTS:
        # The choice outlives the address: after posting without JavaScript, or on
        # opening the board again, the guest finds the order it chose (this event only).
        response.set_cookie(
            SORT_COOKIE,
            sort,
            max_age=30 * 24 * 3600,
            path=reverse("frontend:board", kwargs={"pk": event.pk}),
            secure=request.is_secure(),
            samesite="Lax",
        )
    return render_inline(response)


SORT_COOKIE = "livinglab_sort"
SORTS = ("top", "new")


def _sort_choice(request) -> str:
    """The board's order: ``?sort=`` when given, else the guest's last choice on this
    board (a cookie), else the most supported first."""
    chosen = request.GET.get("sort") or request.COOKIES.get(SORT_COOKIE)
    return "new" if chosen == "new" else "top"


def _back(event: Event, anchor: str = "") -> str:
    return reverse("frontend:board", kwargs={"pk": event.pk}) + (f"#{anchor}" if anchor else "")


@require_POST
def board_post(request, pk: int):
    event = _event(request, pk)
    participant = _participant(request, event)
    if participant is None:
        if _wants_json(request):
            detail = _("Join this board to post ideas.")
            return JsonResponse({"type": "error", "detail": detail}, status=403)
        return redirect(f"{reverse('frontend:join')}?code={event.join_code}")
    theme_pk = request.POST.get("theme") or ""
    theme = event.themes.filter(pk=int(theme_pk)).first() if theme_pk.isdigit() else None
    try:
        idea, _created = board_services.idea_post(
            participant=participant,
            text=request.POST.get("text", ""),
            theme=theme,
            client_id=request.POST.get("client_id") or uuid.uuid4(),
        )
    except SERVICE_ERRORS as exc:
        if _wants_json(request):
            status = exc.status if isinstance(exc, DomainError) else 400
            return JsonResponse({"type": "error", "detail": error_text(exc)}, status=status)
        messages.error(request, error_text(exc))
        return redirect(_back(event, "post-idea"))
    if _wants_json(request):
        # board.js posts here while its socket is still opening: the same ack as the
        # socket's (docs/protocol.md), so the page shows the idea at once.
        return JsonResponse(
            {
                "type": "ack",
                "ref": "idea.create",
                "client_id": str(idea.client_id),
                "idea": board_selectors.idea_dict(idea),
            }
        )
    messages.success(request, _posted_text(idea))
    if idea.status == IdeaStatus.PENDING:
        return redirect(_back(event, "my-pending"))
    return redirect(_back(event, f"idea-{idea.pk}"))


def _posted_text(idea: Idea) -> str:
    if idea.status == IdeaStatus.PENDING:
        return _("Thank you: your idea will appear once a moderator has read it.")
    return _("Your idea is on the board.")


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _guest_and_idea(request, pk: int, idea_pk: int) -> tuple[Event, Participant, Idea]:
    """The board's event, the guest acting on it (403 without one) and one of its ideas."""
    event = _event(request, pk)
    participant = _participant(request, event)
    idea = get_object_or_404(Idea, pk=idea_pk, event=event)
    if participant is None:
        raise PermissionDenied
    return event, participant, idea


@require_POST
def board_vote(request, pk: int, idea_pk: int):
    event, participant, idea = _guest_and_idea(request, pk, idea_pk)
    try:
        board_services.vote_set(
            participant=participant, idea=idea, value=1 if request.POST.get("value") == "1" else 0
        )
    except SERVICE_ERRORS as exc:
        messages.error(request, error_text(exc))
    return redirect(_back(event, f"idea-{idea.pk}"))


@require_POST
def board_comment(request, pk: int, idea_pk: int):
    event, participant, idea = _guest_and_idea(request, pk, idea_pk)
    act(
        request,
        lambda: board_services.comment_post(
            participant=participant,
            idea=idea,
            text=request.POST.get("text", ""),
            client_id=request.POST.get("client_id") or uuid.uuid4(),
        ),
        done=_("Your comment is posted."),
    )
    return redirect(_back(event, f"idea-{idea.pk}"))


@cache_control(no_store=True)
def projector(request, pk: int):
    """The big screen: large type, high contrast, theme columns, top ideas, live."""
    event = _event(request, pk)
    board_services.votes_flush(event_id=event.pk)
    context = _board_context(request, event, limit=PROJECTOR_IDEAS_PER_THEME)
    context["mode"] = "projector"
    context["projector_limit"] = PROJECTOR_IDEAS_PER_THEME
    context["join_url"] = request.build_absolute_uri(
        f"{reverse('frontend:join')}?code={event.join_code}"
    )
    return render(request, "frontend/board/projector.html", context)


def _moderate_lock(request, event: Event) -> None:
    board_services.board_set_locked(
        actor=request.user, event=event, locked=request.POST["locked"] == "1"
    )


def _moderate_idea(request, event: Event) -> None:
    """Approve, reject, hide, show, pin, unpin, or merge into ``into`` (the service checks
    the action)."""
    idea = get_object_or_404(Idea, pk=request.POST.get("idea") or 0, event=event)
    action = request.POST.get("action", "")
    into = None
    if action == "merge":
        into = Idea.objects.filter(pk=request.POST.get("into") or 0, event=event).first()
    board_services.idea_moderate(actor=request.user, idea=idea, action=action, into=into)


def _moderate_ban(request, event: Event) -> None:
    """Stop a guest writing (``ban``, with ``hide_ideas``) or let it write (``unban``)."""
    banned = "ban" in request.POST
    guest = get_object_or_404(
        Participant, pk=request.POST.get("ban" if banned else "unban") or 0, event=event
    )
    board_services.participant_ban(
        actor=request.user,
        participant=guest,
        banned=banned,
        hide_ideas=request.POST.get("hide_ideas") == "1",
    )


@cache_control(no_store=True)
def moderate(request, pk: int):
    """The event's moderators hide, show, pin, merge duplicates and lock the board."""
    if not is_account(request.user):
        return redirect(f"{reverse('frontend:login')}?next={request.path}")
    event = _event(request, pk)
    if not can_moderate_event(request.user, event):
        raise PermissionDenied
    if request.method == "POST":
        # Three kinds of form post here: the board's lock switch, a guest's ban, and an
        # idea's buttons (the queue's approve and reject among them).
        if "locked" in request.POST:
            act = _moderate_lock
        elif "ban" in request.POST or "unban" in request.POST:
            act = _moderate_ban
        else:
            act = _moderate_idea
        try:
            act(request, event)
        except SERVICE_ERRORS as exc:
            if _wants_json(request):  # the queue's keyboard flow (moderation.js)
                status = exc.status if isinstance(exc, DomainError) else 400
                return JsonResponse({"type": "error", "detail": error_text(exc)}, status=status)
            messages.error(request, error_text(exc))
        else:
            if _wants_json(request):
                return JsonResponse({"type": "ack", "detail": _("Done.")})
            messages.success(request, _("Done."))
        return redirect("frontend:board-moderate", pk=event.pk)
    board_services.votes_flush(event_id=event.pk)
    context = _board_context(request, event, include_hidden=True)
    context.update(moderation_queue(event))
    context["mode"] = "moderate"
    context["all_ideas"] = [idea for column in context["columns"] for idea in column["ideas"]]
    return render(request, "frontend/board/moderate.html", context)


def moderation_queue(event: Event) -> dict:
    """The ideas awaiting a moderator (oldest first) and the guests banned on this event."""
    pending = Idea.objects.filter(event=event, status=IdeaStatus.PENDING).select_related(
        "author", "theme"
    )
    banned = Participant.objects.filter(event=event, banned_at__isnull=False)
    return {
        "pending": list(pending.order_by("id")),
        "banned": list(banned.order_by("display_name", "id")),
    }


@cache_control(no_store=True)
def moderate_queue(request, pk: int):
    """The moderation page's queue alone: ``moderation.js`` fetches it again when the
    board says the queue changed (``board.updated`` with ``pending``)."""
    if not is_account(request.user):
        raise PermissionDenied
    event = _event(request, pk)
    if not can_moderate_event(request.user, event):
        raise PermissionDenied
    context = {"event": event, **moderation_queue(event)}
    return render(request, "frontend/board/_queue.html", context)


@cache_control(max_age=3600)
def join_qr(request, pk: int):
    """An SVG QR code that opens the join page with the code filled in."""
    event = _event(request, pk)
    url = request.build_absolute_uri(f"{reverse('frontend:join')}?code={event.join_code}")
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    # A standalone SVG file (with its namespace): browsers render it in an <img>.
    qr.save(
        buffer,
        kind="svg",
        scale=8,
        dark="#000",
        light="#fff",
        xmldecl=False,
        title=_("QR code to join the board"),
    )
    svg = buffer.getvalue()
    return HttpResponse(svg, content_type="image/svg+xml")
