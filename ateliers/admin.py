"""The admin an organizer can use: every write goes through a service.

``ServiceAdmin`` turns the admin's save and delete into service calls (with the logged-in
person as ``actor``), so the admin gets the same checks, join codes, board log and
broadcasts as the pages and the API; a model with no service for a change is read-only
here. A refusal from a service shows as an error message on the form, never a 500.
Who may see or do what is the "organizers" group (``ateliers/admin_access.py``).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError
from .models import (
    BoardEvent,
    Comment,
    Event,
    ExpertProfile,
    HelpRequest,
    HelpRequestMessage,
    HelpRequestTransition,
    Idea,
    Meeting,
    Membership,
    Notification,
    Organization,
    OutgoingEmail,
    Participant,
    Registration,
    Schedule,
    Skill,
    Theme,
    TimeSlot,
    User,
)
from .services import accounts, outbox, privacy
from .services import events as event_services
from .services import help as help_services
from .services import people as people_services


def refusal(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    if hasattr(exc, "message_dict"):
        return " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(getattr(exc, "messages", [str(exc)]))


class ServiceAdmin(admin.ModelAdmin):
    """Save and delete through ``create``/``update``/``delete`` (service calls); a missing
    one removes that permission, so the admin shows the model read-only."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def create(self, actor, data: dict):
        raise NotImplementedError

    def update(self, actor, obj, data: dict):
        raise NotImplementedError

    def delete(self, actor, obj) -> None:
        raise NotImplementedError

    def _has(self, name: str) -> bool:
        return getattr(type(self), name) is not getattr(ServiceAdmin, name)

    def has_add_permission(self, request, *args):
        return self._has("create") and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._has("update") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._has("delete") and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in (form.changed_data if change else form.cleaned_data)
            if name in form.cleaned_data
        }
        if change:
            current = type(obj)._default_manager.get(pk=obj.pk)
            saved = self.update(request.user, current, data)
        else:
            saved = self.create(request.user, data)
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields went to the service with the rest; inlines are read-only
        (``save(commit=False)`` only fills what the admin's history message reads)."""
        for formset in formsets:
            formset.save(commit=False)

    def delete_model(self, request, obj):
        self.delete(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete(request.user, obj)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (DomainError, ValidationError) as exc:
            self.message_user(request, refusal(exc), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except (DomainError, ValidationError) as exc:
            self.message_user(request, refusal(exc), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(ServiceAdmin):
    """Listed and searchable; changed only through the pages and the API."""


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def service_action(name: str, label, run):
    """An admin action ``name`` that calls ``run(actor, obj)`` for each selected row."""

    def action(modeladmin, request, queryset):
        done = 0
        for obj in queryset:
            try:
                run(request.user, obj)
                done += 1
            except (DomainError, ValidationError) as exc:
                modeladmin.message_user(request, f"{obj}: {refusal(exc)}", level=messages.ERROR)
        modeladmin.message_user(request, _("%(count)d updated.") % {"count": done})

    action.short_description = label
    action.__name__ = name
    action.allowed_permissions = ("change",)
    return action


# --- accounts -------------------------------------------------------------------------


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts (superusers manage them; organizers see them). Deleting one erases the
    person the way ``DELETE /api/me/`` does: what they wrote stays, unnamed."""

    list_display = (
        "username",
        "display_name",
        "email",
        "is_organizer",
        "is_expert",
        "is_partner",
        "is_staff",
    )
    list_filter = ("is_organizer", "is_expert", "is_partner", "is_staff", "language")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("livinglab"),
            {
                "fields": (
                    "display_name",
                    "language",
                    "is_organizer",
                    "is_expert",
                    "is_partner",
                    "email_notifications",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        accounts.user_admin_save(actor=request.user, user=obj)

    def save_related(self, request, form, formsets, change):
        # After the form's groups are set, or they would take the organizers group away.
        super().save_related(request, form, formsets, change)
        accounts.user_grant_organizer_admin(user=form.instance)

    def get_deleted_objects(self, objs, request):
        # What goes with the account is the erasure's to decide, not the admin's
        # per-model delete permissions (most of those models are read-only here).
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        privacy.user_erase(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            privacy.user_erase(user=user)


@admin.register(Skill)
class SkillAdmin(ServiceAdmin):
    list_display = ("slug", "name_fr", "name_en")
    search_fields = ("slug", "name_fr", "name_en")

    def create(self, actor, data):
        return people_services.skill_create(actor=actor, **data)

    def update(self, actor, obj, data):
        return people_services.skill_update(actor=actor, skill=obj, **data)

    def delete(self, actor, obj):
        people_services.skill_delete(actor=actor, skill=obj)


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ("user", "role", "joined_at")
    readonly_fields = fields


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    list_display = ("name", "region", "website", "created_at")
    list_filter = ("region",)
    search_fields = ("name", "description")
    inlines = [MembershipInline]

    def update(self, actor, obj, data):
        return people_services.organization_update(actor=actor, organization=obj, **data)

    def delete(self, actor, obj):
        people_services.organization_delete(actor=actor, organization=obj)


@admin.register(ExpertProfile)
class ExpertProfileAdmin(ReadOnlyAdmin):
    list_display = ("user", "organization", "availability", "created_at")
    list_filter = ("skills",)
    search_fields = ("user__display_name", "bio")
    list_select_related = ("user", "organization")


# --- events ---------------------------------------------------------------------------


@admin.register(Event)
class EventAdmin(ServiceAdmin):
    """Events through ``ateliers.services.events``: the join code is made there, and a
    board lock changed here is logged and broadcast like one from the board."""

    list_display = ("__str__", "starts_at", "status", "join_code", "board_locked", "capacity")
    list_filter = ("status", "board_locked", "region")
    search_fields = ("title_fr", "title_en", "join_code", "venue")
    readonly_fields = ("join_code", "created_by", "created_at", "updated_at")
    date_hierarchy = "starts_at"

    def create(self, actor, data):
        return event_services.event_create(actor=actor, **data)

    def update(self, actor, obj, data):
        return event_services.event_update(actor=actor, event=obj, **data)

    def delete(self, actor, obj):
        event_services.event_delete(actor=actor, event=obj)


class EventChildAdmin(ServiceAdmin):
    list_filter = ("event",)
    list_select_related = ("event",)

    def get_readonly_fields(self, request, obj=None):
        return ("event",) if obj is not None else ()


@admin.register(Theme)
class ThemeAdmin(EventChildAdmin):
    list_display = ("__str__", "event", "position")
    search_fields = ("name_fr", "name_en")

    def create(self, actor, data):
        return event_services.theme_create(actor=actor, **data)

    def update(self, actor, obj, data):
        return event_services.theme_update(actor=actor, theme=obj, **data)

    def delete(self, actor, obj):
        event_services.theme_delete(actor=actor, theme=obj)


@admin.register(TimeSlot)
class TimeSlotAdmin(EventChildAdmin):
    list_display = ("__str__", "event", "kind", "starts_at", "ends_at", "room", "theme")
    list_filter = ("event", "kind")
    search_fields = ("title_fr", "title_en", "room")

    def create(self, actor, data):
        return event_services.slot_create(actor=actor, **data)

    def update(self, actor, obj, data):
        return event_services.slot_update(actor=actor, slot=obj, **data)

    def delete(self, actor, obj):
        event_services.slot_delete(actor=actor, slot=obj)


@admin.register(Registration)
class RegistrationAdmin(ServiceAdmin):
    """People register themselves (pages, API); here organizers check in and cancel."""

    list_display = ("event", "role", "user", "organization", "checked_in_at", "created_at")
    list_filter = ("event", "role", ("checked_in_at", admin.EmptyFieldListFilter))
    search_fields = ("user__display_name", "organization__name")
    list_select_related = ("event", "user", "organization")
    actions = [
        service_action(
            "check_in",
            _("Check in"),
            lambda actor, r: event_services.registration_check_in(actor=actor, registration=r),
        ),
        service_action(
            "check_out",
            _("Check out"),
            lambda actor, r: event_services.registration_check_in(
                actor=actor, registration=r, undo=True
            ),
        ),
    ]

    def has_change_permission(self, request, obj=None):
        # The check-in actions need "change"; the form itself stays read-only.
        return obj is None and admin.ModelAdmin.has_change_permission(self, request, obj)

    def delete(self, actor, obj):
        event_services.registration_cancel(actor=actor, registration=obj)


class ScheduleMeetingInline(ReadOnlyInline):
    model = Meeting
    fields = ("round", "table", "organization", "expert", "fit", "pinned")
    readonly_fields = fields


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    """Consultation schedules: made, pinned and published on the schedule page."""

    list_display = ("event", "status", "tables", "generated_at", "published_at")
    list_filter = ("status",)
    list_select_related = ("event",)
    inlines = [ScheduleMeetingInline]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("schedule", "round", "table", "organization", "expert", "fit", "pinned")
    list_filter = ("schedule__event", "round", "pinned")
    search_fields = ("organization__name", "expert__display_name")
    list_select_related = ("schedule__event", "organization", "expert")


# --- help requests --------------------------------------------------------------------


class TransitionInline(ReadOnlyInline):
    model = HelpRequestTransition
    fields = ("created_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields


class MessageInline(ReadOnlyInline):
    model = HelpRequestMessage
    fields = ("created_at", "author", "text")
    readonly_fields = fields


@admin.register(HelpRequest)
class HelpRequestAdmin(ServiceAdmin):
    """What is asked can be edited (``help_request_update``); the status only moves
    through claim, start, resolve and release on the pages and the API."""

    list_display = (
        "title",
        "organization",
        "event",
        "status",
        "urgency",
        "language",
        "claimed_by",
        "created_at",
    )
    list_filter = ("status", "urgency", "language", "format", "event")
    search_fields = ("title", "description", "organization__name")
    list_select_related = ("organization", "event", "claimed_by")
    readonly_fields = (
        "organization",
        "status",
        "claimed_by",
        "claimed_at",
        "offered_to",
        "offered_until",
        "escalation_level",
        "escalated_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = [TransitionInline, MessageInline]

    def update(self, actor, obj, data):
        if "skills" in data:
            data["skills"] = [s.slug for s in data["skills"]]
        return help_services.help_request_update(actor=actor, help_request=obj, **data)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "kind", "title", "created_at", "read_at", "emailed_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    list_select_related = ("recipient",)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ServiceAdmin):
    """The e-mail queue: what waits, what was sent, what was given up on (and why)."""

    list_display = ("subject", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status",)
    search_fields = ("subject",)
    actions = [
        service_action("send_again", _("Send again"), lambda actor, mail: outbox.retry(mail)),
    ]

    def has_change_permission(self, request, obj=None):
        return obj is None and admin.ModelAdmin.has_change_permission(self, request, obj)


# --- the live board: read-only in the admin; changes go through the board services -----


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("display_name", "event", "user", "created_at", "erased_at")
    list_filter = ("event",)
    search_fields = ("display_name",)
    list_select_related = ("event", "user")


def _moderate(action: str):
    from .services.board import idea_moderate

    return lambda actor, idea: idea_moderate(actor=actor, idea=idea, action=action)


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdmin):
    list_display = ("text", "event", "author", "status", "pinned", "votes", "comment_count")
    list_filter = ("event", "status", "pinned")
    search_fields = ("text",)
    list_select_related = ("event", "author")
    actions = [
        service_action("moderate_hide", _("Hide"), _moderate("hide")),
        service_action("moderate_show", _("Show"), _moderate("show")),
        service_action("moderate_pin", _("Pin"), _moderate("pin")),
        service_action("moderate_unpin", _("Unpin"), _moderate("unpin")),
    ]

    def has_change_permission(self, request, obj=None):
        return obj is None and admin.ModelAdmin.has_change_permission(self, request, obj)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("text", "idea", "participant", "created_at")
    list_select_related = ("idea", "participant")


@admin.register(BoardEvent)
class BoardEventAdmin(ReadOnlyAdmin):
    list_display = ("event", "seq", "type", "created_at")
    list_filter = ("event", "type")
