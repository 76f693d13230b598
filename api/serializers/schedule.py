from __future__ import annotations

from rest_framework import serializers

from ateliers.selectors import people as people_selectors
from ateliers.selectors import schedule as agenda_reads

from ..fields import IdNumberField

MAX_ID = 2**31 - 1


class RoundInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ScheduleInputSerializer(serializers.Serializer):
    """``POST /api/events/{id}/schedule/``: the service checks overlaps and event hours."""

    rounds = RoundInputSerializer(many=True, allow_empty=False)
    tables = serializers.IntegerField(min_value=1, max_value=1000)
    max_meetings_per_organization = serializers.IntegerField(
        min_value=1, max_value=1000, required=False, allow_null=True
    )
    keep_pins = serializers.BooleanField(required=False, default=True)
    max_meetings_per_expert = serializers.IntegerField(
        min_value=1,
        max_value=1000,
        required=False,
        allow_null=True,
        help_text="Balance the experts' load: nobody gives more consultations than this.",
    )


class PinInputSerializer(serializers.Serializer):
    meeting = IdNumberField(required=False, max_value=MAX_ID)
    organization = IdNumberField(required=False, max_value=MAX_ID)
    expert = IdNumberField(required=False, max_value=MAX_ID)
    round = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    table = serializers.IntegerField(required=False, min_value=1, max_value=1000, allow_null=True)
    pinned = serializers.BooleanField(required=False, default=True)

    def validate(self, data):
        if "meeting" not in data and not {"organization", "expert", "round"} <= set(data):
            raise serializers.ValidationError(
                "Give a meeting, or an organization, an expert and a round."
            )
        return data


class MeetingRefSerializer(serializers.Serializer):
    meeting = IdNumberField(max_value=MAX_ID)


class MeetingRemoveSerializer(MeetingRefSerializer):
    refill = serializers.BooleanField(
        required=False,
        default=True,
        help_text="After publishing: give the freed seats to the best pairs that fit them "
        "(new meetings, announced to their people); false leaves them empty.",
    )


class NoShowSerializer(MeetingRemoveSerializer):
    absent = serializers.ChoiceField(
        choices=[("organization", "organization"), ("expert", "expert")],
        help_text="Who did not come; the one who came gets the best partner free then.",
    )


def change_data(changes) -> list[dict]:
    """What an organizer's act changed: ``{kind: added|moved|removed, meeting,
    organization, expert, before: {round, table}|null, after: {round, table}|null}``."""

    def place(value):
        return None if value is None else {"round": value[0], "table": value[1]}

    return [
        {
            "kind": c.kind,
            "meeting": c.meeting,
            "organization": c.organization,
            "expert": c.expert,
            "experts": list(c.experts),
            "before": place(c.before),
            "after": place(c.after),
        }
        for c in changes
    ]


def meeting_data(meeting, times, names, event_id: int = 0) -> dict:
    start, end = times[meeting.round - 1] if meeting.round <= len(times) else (None, None)
    return {
        "id": meeting.pk,
        "organization": meeting.organization_id,
        "organization_name": meeting.organization.name,
        "expert": meeting.expert_id,
        "expert_name": meeting.expert.public_name,
        # a multi-party meeting: every expert at the table, the lead (``expert``) first
        "experts": [u.pk for u in agenda_reads.experts_of(meeting)],
        "expert_names": [u.public_name for u in agenda_reads.experts_of(meeting)],
        "round": meeting.round,
        "table": meeting.table,
        "starts_at": start.isoformat() if start else None,
        "ends_at": end.isoformat() if end else None,
        "fit": meeting.fit,
        "skills": list(meeting.skills),
        "languages": list(meeting.languages),
        "reasons": agenda_reads.reasons(meeting, names),
        "pinned": meeting.pinned,
        "online_url": agenda_reads.online_url(event_id, meeting.round, meeting.table),
    }


def schedule_data(schedule, meetings=None) -> dict:
    """The schedule as CONTRACT.md names it; three queries whatever its size."""
    times = agenda_reads.round_times(schedule)
    names = people_selectors.skill_names()
    if meetings is None:
        meetings = agenda_reads.meetings(schedule)
    stats = dict(schedule.stats)
    stats.pop("seconds", None)
    return {
        "id": schedule.pk,
        "event": schedule.event_id,
        "status": schedule.status,
        "published_at": schedule.published_at.isoformat() if schedule.published_at else None,
        "rounds": [
            {"round": n, "starts_at": s.isoformat(), "ends_at": e.isoformat()}
            for n, (s, e) in enumerate(times, start=1)
        ],
        "tables": schedule.tables,
        "max_meetings_per_organization": schedule.max_meetings_per_organization,
        "max_meetings_per_expert": schedule.max_meetings_per_expert,
        "meetings": [meeting_data(m, times, names, schedule.event_id) for m in meetings],
        "stats": stats,
        **({"changes": change_data(schedule.changes)} if hasattr(schedule, "changes") else {}),
    }


def agenda_entry_data(entry, event_id: int = 0) -> dict:
    m = entry.meeting
    other = (
        {"type": "expert", "id": m.expert_id, "name": entry.other_name}
        if entry.role == "organization"
        else {"type": "organization", "id": m.organization_id, "name": entry.other_name}
    )
    return {
        "meeting": m.pk,
        "as": entry.role,
        "round": entry.number,
        "starts_at": entry.starts_at.isoformat() if entry.starts_at else None,
        "ends_at": entry.ends_at.isoformat() if entry.ends_at else None,
        "table": m.table,
        "organization": m.organization_id,
        "organization_name": m.organization.name,
        "expert": m.expert_id,
        "expert_name": m.expert.public_name,
        "experts": [u.pk for u in entry.experts],
        "expert_names": [u.public_name for u in entry.experts],
        "with": other,
        "fit": m.fit,
        "reasons": entry.reasons,
        "online_url": agenda_reads.online_url(event_id, m.round, m.table),
    }
