"""The board over HTTP: the same fields as the WebSocket's (docs/protocol.md).

The texts' rules are shared with the board socket's message serializers
(``ateliers/realtime/messages.py``): a text one refuses, the other refuses too."""

from __future__ import annotations

from rest_framework import serializers

from ateliers.choices import ModerationAction
from ateliers.models import Comment, Idea, Theme
from ateliers.permissions import can_moderate_event
from ateliers.realtime.messages import CommentTextSerializer, IdeaTextSerializer

from ..fields import IdField, IdNumberField


class JoinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True)


class ParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class JoinEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    join_code = serializers.CharField()
    board_locked = serializers.BooleanField()
    status = serializers.CharField()


class JoinResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    participant = ParticipantSerializer()
    event = JoinEventSerializer()


class IdeaSerializer(serializers.ModelSerializer):
    """An idea; its ``participant`` (the author's guest id, what a ban takes) only for the
    event's moderators. Views pass ``moderated_events`` (ids) in the context for lists."""

    author_name = serializers.CharField(source="author.display_name", read_only=True)
    participant = serializers.IntegerField(
        source="author_id",
        read_only=True,
        required=False,
        help_text="The author's participant id: only in the event's moderators' reads.",
    )

    class Meta:
        model = Idea
        fields = [
            "id",
            "event",
            "text",
            "theme",
            "author_name",
            "participant",
            "votes",
            "comment_count",
            "status",
            "pinned",
            "merged_into",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        moderated = self.context.get("moderated_events")
        if moderated is None:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            moderated = {instance.event_id} if can_moderate_event(user, instance.event_id) else ()
        if instance.event_id not in moderated:
            data.pop("participant", None)
        return data


class ParticipantBanSerializer(serializers.Serializer):
    hide_ideas = serializers.BooleanField(
        required=False, default=False, help_text="Also hide the guest's ideas on the board."
    )


class ParticipantModerationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    banned = serializers.BooleanField()
    banned_at = serializers.DateTimeField(allow_null=True)


class IdeaWriteSerializer(IdeaTextSerializer):
    theme = IdField(queryset=Theme.objects.all(), required=False, allow_null=True)
    client_id = serializers.UUIDField(required=False)


class IdeaEditSerializer(IdeaTextSerializer):
    pass


class ModerateSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ModerationAction.choices)
    into = IdNumberField(required=False, allow_null=True)


class VoteResponseSerializer(serializers.Serializer):
    idea = serializers.IntegerField()
    votes = serializers.IntegerField()
    voted = serializers.BooleanField()


class CommentSerializer(CommentTextSerializer, serializers.ModelSerializer):
    author_name = serializers.CharField(source="participant.display_name", read_only=True)
    client_id = serializers.UUIDField(required=False, write_only=True)

    class Meta:
        model = Comment
        fields = ["id", "idea", "text", "author_name", "client_id", "created_at"]
        read_only_fields = ["id", "idea", "author_name", "created_at"]


class BoardCatchUpSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    events = serializers.ListField(child=serializers.DictField())
    snapshot = serializers.DictField(
        required=False,
        allow_null=True,
        help_text="A part of the board state (the first one has themes and counts).",
    )
    next = serializers.URLField(
        allow_null=True,
        help_text="The following part (or the following events); null on the last one.",
    )
