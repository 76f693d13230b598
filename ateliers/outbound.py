"""Domain events for the apps above ``ateliers``: what changed, told in the writer's
transaction.

``ateliers`` is the lowest app and never imports the apps that react to its changes
(``tests/test_import_graph.py``). A service calls ``publish(name, data, event_id=…)``
inside its transaction; an app above subscribes in its ``AppConfig.ready()``: ``webhooks``
queues one delivery per matching hook in that same transaction, so a change rolled back
sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Receiver = Callable[..., object]
_receivers: list[Receiver] = []


def subscribe(receiver: Receiver) -> None:
    """``receiver(name, data, *, event_id)`` is called for every published change."""
    if receiver not in _receivers:
        _receivers.append(receiver)


def publish(name: str, data: dict, *, event_id: int | None = None) -> None:
    """Tell every receiver that ``name`` happened (``board.idea.created``, ``help.claimed``…)."""
    for receiver in list(_receivers):
        receiver(name, data, event_id=event_id)


def help_request_changed(help_request, from_status: str, to_status: str) -> None:
    """``help.<status>``: a help request changed status (``help.open`` when opened or
    released, ``help.claimed``, ``help.in_progress``, ``help.resolved``)."""
    publish(
        f"help.{to_status}",
        {
            "help_request": help_request.pk,
            "event": help_request.event_id,
            "title": help_request.title,
            "organization": help_request.organization_id,
            "from": from_status,
            "to": to_status,
        },
        event_id=help_request.event_id,
    )
