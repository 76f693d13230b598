"""Read-mostly admin: project state changes go through the services (pages and API)."""

from django.contrib import admin

from .models import (
    Follow,
    Indicator,
    IndicatorValue,
    Milestone,
    PhaseCriterion,
    PhaseTransition,
    Project,
    ProjectMember,
    ProjectUpdate,
    Story,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(ReadOnlyInline):
    model = PhaseTransition
    fields = ("created_at", "from_phase", "to_phase", "note", "actor")


class MemberInline(ReadOnlyInline):
    model = ProjectMember
    fields = ("user", "role")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("__str__", "phase", "visibility", "region", "updated_at")
    list_filter = ("phase", "visibility", "region")
    search_fields = ("title_fr", "title_en", "summary_fr", "summary_en")
    readonly_fields = ("phase", "phase_changed_at", "created_by", "created_at", "updated_at")
    filter_horizontal = ("organizations", "partners")
    raw_id_fields = ("source_help_requests",)
    inlines = [MemberInline, TransitionInline]


for model in (Milestone, ProjectUpdate, Indicator, IndicatorValue, Story, Follow):
    admin.site.register(model)


@admin.register(PhaseCriterion)
class PhaseCriterionAdmin(admin.ModelAdmin):
    """Organizers configure each phase's entry checklist here or with /api/phase-criteria/."""

    list_display = ("__str__", "phase", "position", "active")
    list_filter = ("phase", "active")
