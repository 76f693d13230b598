from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Event,
    ExpertProfile,
    Membership,
    Organization,
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
