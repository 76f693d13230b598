"""The board socket's writes, read by serializers (docs/protocol.md, "Writes").

The value rules of a text are the REST API's: ``IdeaTextSerializer`` and
``CommentTextSerializer`` are the bases of ``api/serializers/board.py``'s write
serializers too, so a text the API refuses the socket refuses (``invalid``). On top, a
socket message is strict about JSON types (a number is not a text, ``"5"`` is not an id,
``true`` is not a vote of 1 unless the protocol says so) and names one error, the one of
the first field in the message's ``order``, with the protocol's code:

* ``bad_message``: a field missing, ``null`` where it may not be, or of the wrong type;
* ``not_found``: an idea that is not on this board;
* ``invalid``: a value the rules refuse (empty or too long text, a theme of another board).
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

from ..models import Idea, Theme
from ..models.board import COMMENT_MAX_LENGTH, IDEA_MAX_LENGTH

MAX_ID = 2**63 - 1


# An idea's and a comment's text, as the REST API and the socket both take them (comments,
# not docstrings: the API's schema would show them as its serializers' descriptions).
class IdeaTextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=IDEA_MAX_LENGTH)


class CommentTextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=COMMENT_MAX_LENGTH)


class OnThisBoard(serializers.PrimaryKeyRelatedField):
    """An id (a JSON integer) of a row on the socket's board (``context["event_id"]``)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        return self.model.objects.filter(event_id=self.context["event_id"])

    def to_internal_value(self, data):
        if not 1 <= data <= MAX_ID:  # an int (checked by json_types): not a stored key
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class SocketMessage(serializers.Serializer):
    """Strict JSON types first, then the fields' own rules; one error named by ``order``."""

    json_types: dict = {}
    order: tuple = ()

    def to_internal_value(self, data):
        wrong = {}
        for name, kinds in self.json_types.items():
            value = data.get(name)
            if value is None:
                continue
            kinds = kinds if isinstance(kinds, tuple) else (kinds,)
            if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
                wrong[name] = [ErrorDetail("wrong type", code="incorrect_type")]
        try:
            if wrong:  # the other fields still report, so the first in ``order`` wins
                data = {k: v for k, v in data.items() if k not in wrong}
            value = super().to_internal_value(data)
        except ValidationError as exc:
            raise ValidationError({**exc.detail, **wrong}) from exc
        if wrong:
            raise ValidationError(wrong)
        return value


class IdeaCreateMessage(SocketMessage, IdeaTextSerializer):
    client_id = serializers.UUIDField()
    theme = OnThisBoard(Theme, required=False, allow_null=True)

    json_types = {"client_id": str, "theme": int, "text": str}
    order = ("client_id", "theme", "text")


class IdeaEditMessage(SocketMessage, IdeaTextSerializer):
    idea = OnThisBoard(Idea)

    json_types = {"idea": int, "text": str}
    order = ("idea", "text")


class CommentCreateMessage(SocketMessage, CommentTextSerializer):
    client_id = serializers.UUIDField()
    idea = OnThisBoard(Idea)

    json_types = {"client_id": str, "idea": int, "text": str}
    order = ("client_id", "idea", "text")


class AsGiven(serializers.Field):
    def to_internal_value(self, data):
        return data


class VoteMessage(SocketMessage):
    idea = OnThisBoard(Idea)
    value = AsGiven()  # 1 or 0 (``true``/``false`` too, as the service takes them)

    json_types = {"idea": int, "value": (int, float, bool)}
    order = ("value", "idea")

    def validate_value(self, value):
        if value not in (0, 1):
            raise ValidationError("A vote's value is 1 or 0.", code="incorrect_type")
        return value


class ModerateMessage(SocketMessage):
    # ``action``'s values are the service's to check: a guest who is not a moderator is
    # told "forbidden" whatever the action.
    idea = OnThisBoard(Idea)
    into = OnThisBoard(Idea, required=False, allow_null=True)
    action = serializers.CharField(allow_blank=True, trim_whitespace=False)

    json_types = {"idea": int, "into": int, "action": str}
    order = ("idea", "into", "action")


class BoardLockMessage(SocketMessage):
    locked = serializers.BooleanField()

    json_types = {"locked": bool}
    order = ("locked",)


MESSAGES = {
    "idea.create": IdeaCreateMessage,
    "idea.edit": IdeaEditMessage,
    "comment.create": CommentCreateMessage,
    "vote": VoteMessage,
    "moderate": ModerateMessage,
    "board.lock": BoardLockMessage,
}

# The protocol's ``bad_message`` details, per field (unchanged from the hand parser).
WRONG_TYPE = {
    "client_id": "Give a client_id (a UUID).",
    "theme": "theme is an id or null.",
    "text": "Give the text.",
    "idea": "Give the idea's id.",
    "into": "Give the idea's id.",
    "value": "A vote's value is 1 or 0.",
    "action": "Give the action.",
    "locked": "Give locked: true or false.",
}
BAD_MESSAGE_CODES = {
    "required",
    "null",
    "incorrect_type",
    "invalid",
    "surrogate_characters_not_allowed",
}


def first_error(serializer: SocketMessage, errors: dict) -> tuple[str, str]:
    """The protocol's (code, detail) for the first field in error, in the message's order."""
    name = next((n for n in serializer.order if n in errors), next(iter(errors)))
    detail = errors[name][0] if isinstance(errors[name], list) else errors[name]
    code = getattr(detail, "code", "invalid")
    if code in BAD_MESSAGE_CODES:
        return "bad_message", WRONG_TYPE.get(name, "A field has the wrong type.")
    if code == "does_not_exist":
        if name in ("idea", "into"):
            return "not_found", "No such idea on this board."
        return "invalid", "No such theme on this board."
    return "invalid", f"{name}: {detail}"
