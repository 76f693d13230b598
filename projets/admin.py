"""The projects in the admin: projects through their services, the rest read-only.

Phases, team, journal, indicators and stories change on the project pages and the API
(their services notify followers); here they are listed for organizers.
"""

from django.contrib import admin

from ateliers.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin

from . import services
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


class TransitionInline(ReadOnlyInline):
    model = PhaseTransition
    fields = ("created_at", "from_phase", "to_phase", "note", "actor")
    readonly_fields = fields


class MemberInline(ReadOnlyInline):
    model = ProjectMember
    fields = ("user", "role")
    readonly_fields = fields


@admin.register(Project)
class ProjectAdmin(ServiceAdmin):
    list_display = ("__str__", "phase", "visibility", "region", "event", "updated_at")
    list_filter = ("phase", "visibility", "region", "event")
    search_fields = ("title_fr", "title_en", "summary_fr", "summary_en")
    readonly_fields = ("phase", "phase_changed_at", "created_by", "created_at", "updated_at")
    filter_horizontal = ("organizations", "partners")
    raw_id_fields = ("source_help_requests", "source_ideas", "event", "theme")
    inlines = [MemberInline, TransitionInline]

    def create(self, actor, data):
        return services.project_create(actor=actor, **data)

    def update(self, actor, obj, data):
        return services.project_update(actor=actor, project=obj, **data)

    def delete(self, actor, obj):
        services.project_delete(actor=actor, project=obj)


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ("title", "project", "due_on")
    list_select_related = ("project",)


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(ReadOnlyAdmin):
    list_display = ("project", "author", "created_at")
    list_select_related = ("project", "author")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("name", "project", "unit", "target")
    list_select_related = ("project",)


for model in (IndicatorValue, Story, Follow):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(PhaseCriterion)
class PhaseCriterionAdmin(ReadOnlyAdmin):
    """Organizers configure each phase's entry checklist with /api/phase-criteria/."""

    list_display = ("__str__", "phase", "position", "active")
    list_filter = ("phase", "active")
