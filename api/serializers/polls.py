"""Live polls over HTTP (shapes in CONTRACT.md "Second round"; docs/polls.md)."""

from __future__ import annotations

from rest_framework import serializers

from ateliers.choices import PollKind, PollStatus
from ateliers.models.polls import (
    LABEL_MAX_LENGTH,
    MAX_CHOICES,
    QUESTION_MAX_LENGTH,
    WORD_MAX_LENGTH,
)

from ..fields import IdNumberField


class PollChoiceWriteSerializer(serializers.Serializer):
    label_fr = serializers.CharField(max_length=LABEL_MAX_LENGTH, required=False, allow_blank=True)
    label_en = serializers.CharField(max_length=LABEL_MAX_LENGTH, required=False, allow_blank=True)


class PollCreateSerializer(serializers.Serializer):
    question_fr = serializers.CharField(
        max_length=QUESTION_MAX_LENGTH, required=False, allow_blank=True
    )
    question_en = serializers.CharField(
        max_length=QUESTION_MAX_LENGTH, required=False, allow_blank=True
    )
    kind = serializers.ChoiceField(choices=PollKind.choices)
    choices = PollChoiceWriteSerializer(many=True, required=False, max_length=MAX_CHOICES)


class PollStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[PollStatus.OPEN, PollStatus.CLOSED])


class PollAnswerSerializer(serializers.Serializer):
    """``{choices: [ids]}`` for single and multiple choice, ``{text}`` for a word cloud."""

    choices = serializers.ListField(child=IdNumberField(), required=False, max_length=MAX_CHOICES)
    text = serializers.CharField(max_length=WORD_MAX_LENGTH, required=False)

    def validate(self, attrs):
        if ("choices" in attrs) == ("text" in attrs):
            raise serializers.ValidationError("Give either choices or text.")
        return attrs


class PollChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    label_fr = serializers.CharField()
    label_en = serializers.CharField()


class ChoiceCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class WordCountSerializer(serializers.Serializer):
    text = serializers.CharField()
    count = serializers.IntegerField()


class PollResultsSerializer(serializers.Serializer):
    answers = serializers.IntegerField()
    choices = ChoiceCountSerializer(many=True, required=False)
    words = WordCountSerializer(many=True, required=False)


class PollSerializer(serializers.Serializer):
    """What ``poll_dict`` gives: the poll in both languages, with its results."""

    id = serializers.IntegerField()
    event = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PollKind.choices)
    status = serializers.ChoiceField(choices=PollStatus.choices)
    question = serializers.CharField()
    question_fr = serializers.CharField()
    question_en = serializers.CharField()
    choices = PollChoiceSerializer(many=True)
    results = PollResultsSerializer(required=False)


class PollAnswerResponseSerializer(serializers.Serializer):
    poll = serializers.IntegerField()
    choices = serializers.ListField(child=serializers.IntegerField())
    text = serializers.CharField()
