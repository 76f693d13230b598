"""The live ideas board's writes. Each change is logged with its ``seq`` (ARCHITECTURE.md)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..exceptions import Forbidden
from ..models import Event, User
from ..permissions import is_organizer


@transaction.atomic
def board_set_locked(*, actor: User, event: Event, locked: bool) -> Event:
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can lock the board."))
    Event.objects.filter(pk=event.pk).update(board_locked=locked)
    event.board_locked = locked
    return event
