"""What the product holds about one person: the own-data export (Law 25, GDPR art. 15/20).

The export walks Django's model graph: every model with a foreign key, one-to-one or
many-to-many field pointing at the user model (or at a board ``Participant``) is a
relation, and every relation's rows go into the export. ``SECTIONS`` names each relation
for people reading the file; a relation with no name there is still exported (under its
``app.Model.field`` label) and ``tests/api/test_privacy.py`` fails until it is named, so
a model added later is never forgotten.

Secrets are never exported: password hashes, API token keys and feed secrets are reduced
to "exists".
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from .models import Participant

EXPORT_FORMAT = "livinglab-export/1"

# ``app_label.Model.field`` → the section of the export it fills.
SECTIONS: dict[str, str] = {
    # accounts and profiles
    "ateliers.Membership.user": "memberships",
    "ateliers.Organization.members": "organizations",
    "ateliers.ExpertProfile.user": "expert_profile",
    "authtoken.Token.user": "api_token",
    "admin.LogEntry.user": "admin_actions",
    # events
    "ateliers.Event.created_by": "events_created",
    "ateliers.Registration.user": "registrations",
    "ateliers.Schedule.generated_by": "schedules_generated",
    "ateliers.Meeting.expert": "consultations",
    "ateliers.Meeting.co_experts": "consultations_with_other_experts",
    # help requests
    "ateliers.HelpRequest.created_by": "help_requests_created",
    "ateliers.HelpRequest.claimed_by": "help_requests_claimed",
    "ateliers.HelpRequestTransition.actor": "help_request_steps",
    "ateliers.HelpRequestMessage.author": "help_request_messages",
    "ateliers.Notification.recipient": "notifications",
    "ateliers.HelpRequest.offered_to": "help_requests_offered",
    "ateliers.HelpRequestRating.rated_by": "help_ratings_given",
    "ateliers.HelpRequestRating.expert": "help_ratings_received",
    "ateliers.AgendaFeed.user": "agenda_feed",
    "ateliers.OutgoingEmail.recipient": "emails",
    # the live board (through the person's board identities)
    "ateliers.Participant.user": "board_identities",
    "ateliers.Idea.author": "ideas",
    "ateliers.Comment.participant": "comments",
    "ateliers.Vote.participant": "votes",
    # the live room: co-moderators and polls (named here before they are merged: a name
    # for a relation that does not exist yet is unused)
    "ateliers.EventModerator.user": "events_moderated",
    "ateliers.EventModerator.appointed_by": "moderators_appointed",
    "ateliers.Poll.created_by": "polls_created",
    "ateliers.PollAnswer.participant": "poll_answers",
    # projects
    "projets.Project.created_by": "projects_created",
    "projets.ProjectMember.user": "project_memberships",
    "projets.Follow.user": "project_follows",
    "projets.PhaseTransition.actor": "project_phase_changes",
    "projets.ProjectUpdate.author": "project_updates",
    "projets.IndicatorValue.recorded_by": "indicator_values",
    # integrations
    "webhooks.Webhook.created_by": "webhooks_created",
}

# Field names whose values are secrets: exported as "exists", never as their value.
SECRET_FIELDS = {"password", "key", "secret", "token", "token_hash", "secret_hash"}


def person_relations() -> Iterator[tuple[str, type[models.Model], models.Field]]:
    """Every forward relation of every installed model to a user or a participant."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    targets = {user_model, Participant}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete) or field.auto_created:
                continue
            if field.related_model in targets:
                label = f"{model._meta.app_label}.{model.__name__}.{field.name}"
                yield label, model, field


def _value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def row(obj: models.Model) -> dict:
    """One database row as plain JSON: concrete fields, foreign keys as ids, secrets out."""
    data = {}
    for field in obj._meta.concrete_fields:
        name = field.attname
        if field.name in SECRET_FIELDS:
            data[field.name] = "(exists, not exported)" if getattr(obj, name) else None
            continue
        data[field.name if not field.is_relation else name] = _value(getattr(obj, name))
    for field in obj._meta.many_to_many:
        if field.remote_field.through._meta.auto_created:
            data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def _account(user) -> dict:
    data = row(user)
    data["roles"] = user.roles
    data["groups"] = sorted(user.groups.values_list("name", flat=True))
    return data


def export_user(user) -> dict:
    """Everything about ``user``, one section per relation (see ``SECTIONS``)."""
    participant_ids = list(Participant.objects.filter(user=user).values_list("pk", flat=True))
    data: dict = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "account": _account(user),
    }
    for label, model, field in person_relations():
        section = SECTIONS.get(label, label)
        if field.related_model is Participant:
            rows = model._default_manager.filter(**{f"{field.name}__in": participant_ids})
        else:
            rows = model._default_manager.filter(**{field.name: user})
        data.setdefault(section, []).extend(row(obj) for obj in rows.order_by("pk"))
    return data


def export_participant(participant: Participant) -> dict:
    """Everything about one board guest: its identity and what it wrote and voted."""
    data: dict = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "participant": row(participant),
        "event": {"id": participant.event_id, "title": participant.event.title},
    }
    for label, model, field in person_relations():
        if field.related_model is not Participant:
            continue
        rows = model._default_manager.filter(**{field.name: participant}).order_by("pk")
        data.setdefault(SECTIONS.get(label, label), []).extend(row(obj) for obj in rows)
    return data
