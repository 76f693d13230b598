from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    BoardEvent,
    Comment,
    Event,
    ExpertProfile,
    Idea,
    Membership,
    Organization,
    Participant,
    Registration,
    Skill,
    Theme,
    TimeSlot,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "display_name",
        "email",
        "is_organizer",
        "is_expert",
        "is_partner",
        "is_superuser",
    )
    list_filter = ("is_organizer", "is_expert", "is_partner", "is_superuser", "language")
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


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_fr", "name_en")
    search_fields = ("slug", "name_fr", "name_en")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "website")
    search_fields = ("name", "description")
    inlines = [MembershipInline]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "organization")
    search_fields = ("user__username", "user__display_name", "bio")
    filter_horizontal = ("skills",)


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


class TimeSlotInline(admin.TabularInline):
    model = TimeSlot
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("__str__", "starts_at", "status", "join_code", "board_locked")
    list_filter = ("status", "board_locked")
    search_fields = ("title_fr", "title_en", "join_code")
    readonly_fields = ("join_code",)
    inlines = [ThemeInline, TimeSlotInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("event", "role", "user", "organization", "checked_in_at")
    list_filter = ("role", "event")
    raw_id_fields = ("user", "organization", "event")


# --- the live board: read-only in the admin; changes go through the board services -----


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(_ReadOnlyAdmin):
    list_display = ("display_name", "event", "user", "created_at")
    list_filter = ("event",)
    search_fields = ("display_name",)
    list_select_related = ("event", "user")


def _moderation_action(action: str, label):
    def run(modeladmin, request, queryset):
        from .exceptions import DomainError
        from .services.board import idea_moderate

        done = 0
        for idea in queryset:
            try:
                idea_moderate(actor=request.user, idea=idea, action=action)
                done += 1
            except DomainError as exc:
                modeladmin.message_user(request, f"{idea.pk}: {exc.message}", level="error")
        modeladmin.message_user(request, _("%(count)d ideas updated.") % {"count": done})

    run.__name__ = f"moderate_{action}"
    run.short_description = label
    return run


@admin.register(Idea)
class IdeaAdmin(_ReadOnlyAdmin):
    list_display = ("text", "event", "author", "status", "pinned", "votes", "comment_count")
    list_filter = ("event", "status", "pinned")
    search_fields = ("text",)
    list_select_related = ("event", "author")
    actions = [
        _moderation_action("hide", _("Hide")),
        _moderation_action("show", _("Show")),
        _moderation_action("pin", _("Pin")),
        _moderation_action("unpin", _("Unpin")),
    ]


@admin.register(Comment)
class CommentAdmin(_ReadOnlyAdmin):
    list_display = ("text", "idea", "participant", "created_at")
    list_select_related = ("idea", "participant")


@admin.register(BoardEvent)
class BoardEventAdmin(_ReadOnlyAdmin):
    list_display = ("event", "seq", "type", "created_at")
    list_filter = ("event", "type")
