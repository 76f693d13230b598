"""Issue 15: the demo is made by the same services users call (``demo/``), so what an
integration or a person sees of it is what real use would have left: a webhook subscribed
before the seed hears every help request, claim and project; the help requests carry the
history and notifications of real claims; nothing of the domain imports the demo."""

from __future__ import annotations

from collections import Counter

import pytest

from ateliers.models import HelpRequest, HelpRequestTransition, Notification
from demo.seed import ORG_NEEDS, seed_demo
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db


def test_an_integration_hears_the_demo_as_it_would_hear_real_use():
    Webhook.objects.create(
        url="https://hooks.example.org/in",
        events=["help.*", "project.*", "board.*"],
        secret="s" * 32,
    )
    seed_demo()
    heard = Counter(Delivery.objects.values_list("name", flat=True))
    asked = len(ORG_NEEDS) + 2
    assert heard["help.open"] == asked
    assert (heard["help.claimed"], heard["help.in_progress"], heard["help.resolved"]) == (2, 1, 1)
    assert heard["project.created"] == 3
    assert heard["board.idea.created"] == 12
    seed_demo()  # idempotent: a second run tells nothing new
    assert Counter(Delivery.objects.values_list("name", flat=True)) == heard


def test_the_demo_claims_have_their_history_and_tell_the_organisation():
    seed_demo()
    resolved = HelpRequest.objects.get(title="Mots de passe partagés")
    steps = list(
        HelpRequestTransition.objects.filter(request=resolved)
        .order_by("id")
        .values_list("from_status", "to_status", "actor__username")
    )
    asker = resolved.created_by.username
    assert steps == [
        ("", "open", asker),
        ("open", "claimed", "sophie"),
        ("claimed", "in_progress", "sophie"),
        ("in_progress", "resolved", "sophie"),
    ]
    assert resolved.claimed_by.username == "sophie"
    told = Notification.objects.filter(help_request=resolved, recipient=resolved.created_by)
    assert set(told.values_list("kind", flat=True)) >= {"help.claimed", "help.resolved"}
    # read already: the demo opens with no unread badge (tests/browser/test_help_pages.py)
    assert not Notification.objects.filter(help_request__isnull=False, read_at=None).exists()
