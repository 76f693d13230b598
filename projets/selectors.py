"""Reads of projects, scoped to the caller in ONE place: ``projects_visible_to``.

The API, the pages, the exports, the PDFs and the search all start from it, so a rule
changed here changes everywhere and nothing leaks through a side door (a count, a filter,
a provenance link).
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from ateliers.models import Organization
from ateliers.permissions import is_account, is_organizer, is_partner

from .choices import Visibility
from .models import Follow, Indicator, Milestone, Project, ProjectMember, ProjectUpdate, Story


def _my_org_projects(through, user):
    return through.objects.filter(organization__memberships__user=user).values("project_id")


def projects_visible_to(user) -> QuerySet[Project]:
    """The projects ``user`` may read.

    - organizers and superusers: all;
    - anonymous visitors and board guests: public ones;
    - an account: public ones, those it is on the team of, those of an organisation it
      belongs to (involved organisations);
    - a partner account (``is_partner``): also the *partners-only* projects whose partners
      include one of its organisations. *Private* projects stay with the team, the
      involved organisations and the organizers.
    """
    qs = Project.objects.all()
    if is_organizer(user):
        return qs
    public = Q(visibility=Visibility.PUBLIC)
    if not is_account(user):
        return qs.filter(public)
    condition = (
        public
        | Q(pk__in=ProjectMember.objects.filter(user=user).values("project_id"))
        | Q(pk__in=_my_org_projects(Project.organizations.through, user))
    )
    if is_partner(user):
        condition |= Q(
            visibility=Visibility.PARTNERS,
            pk__in=_my_org_projects(Project.partners.through, user),
        )
    return qs.filter(condition)


def _late_count():
    return Subquery(
        Milestone.objects.filter(
            project=OuterRef("pk"), done_on__isnull=True, due_on__lt=timezone.localdate()
        )
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def _last_update_at():
    return Subquery(
        ProjectUpdate.objects.filter(project=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )


def _help_requests_visible_to(user):
    from ateliers.selectors.help import help_requests_visible_to

    return (
        help_requests_visible_to(user)
        .select_related(None)
        .prefetch_related(None)
        .select_related("organization")
        .order_by("id")
    )


def _ideas_visible_to(user):
    """Ideas of events the caller may see, hidden ones for organizers only: the rule of
    ``ateliers.selectors.board.ideas_visible_to``, across events."""
    from ateliers.choices import NOT_ON_BOARD
    from ateliers.models import Idea
    from ateliers.selectors.events import events_visible_to

    qs = Idea.objects.filter(event__in=events_visible_to(user).values("pk")).order_by("id")
    if not is_organizer(user):
        qs = qs.exclude(status__in=NOT_ON_BOARD)
    return qs


def _meetings_visible_to(user):
    """Consultations a caller may read: organizers all; the expert and the members of the
    organisation their own; nobody else (who met whom is not public)."""
    from ateliers.models import Meeting

    qs = Meeting.objects.select_related("organization", "expert", "schedule__event").order_by("id")
    if is_organizer(user):
        return qs
    if not is_account(user):
        return qs.none()
    return qs.filter(Q(expert=user) | Q(organization__memberships__user=user)).distinct()


def _weight_sum(**filters):
    return Coalesce(
        Subquery(
            Milestone.objects.filter(project=OuterRef("pk"), **filters)
            .order_by()
            .values("project")
            .annotate(w=Sum("weight"))
            .values("w")[:1]
        ),
        0,
    )


def projects_from_help_request(user, help_request) -> QuerySet[Project]:
    """The other way of the provenance link: the visible projects a request became."""
    return projects_visible_to(user).filter(source_help_requests=help_request)


def event_projects(user, event) -> QuerySet[Project]:
    """The visible projects born at ``event``, with the visible ideas they came from."""
    return (
        projects_visible_to(user)
        .filter(event=event)
        .prefetch_related(
            Prefetch("source_ideas", queryset=_ideas_visible_to(user), to_attr="visible_ideas"),
            Prefetch(
                "source_help_requests",
                queryset=_help_requests_visible_to(user),
                to_attr="visible_help_requests",
            ),
            Prefetch(
                "source_meetings", queryset=_meetings_visible_to(user), to_attr="visible_meetings"
            ),
        )
        .order_by("id")[:200]
    )


def project_list(user) -> QuerySet[Project]:
    """Visible projects with what a list shows, in a constant number of queries.

    Provenance is scoped too: a help request the caller may not read is not listed.
    """
    return (
        projects_visible_to(user)
        .select_related("event", "theme")
        .prefetch_related(
            Prefetch(
                "source_help_requests",
                queryset=_help_requests_visible_to(user),
                to_attr="visible_help_requests",
            ),
            Prefetch("source_ideas", queryset=_ideas_visible_to(user), to_attr="visible_ideas"),
            Prefetch(
                "source_meetings",
                queryset=_meetings_visible_to(user),
                to_attr="visible_meetings",
            ),
            Prefetch("partners", queryset=Organization.objects.order_by("name", "id")),
            Prefetch("organizations", queryset=Organization.objects.order_by("name", "id")),
            Prefetch("members", queryset=ProjectMember.objects.select_related("user")),
        )
        .annotate(
            late_milestone_count=_late_count(),
            last_update_at=_last_update_at(),
            milestone_weight=_weight_sum(),
            milestone_done_weight=_weight_sum(done_on__isnull=False),
        )
    )


def _mine(qs: QuerySet[Project], user) -> QuerySet[Project]:
    if is_organizer(user):
        return qs
    if not is_account(user):
        return qs.none()
    return qs.filter(
        Q(pk__in=_my_org_projects(Project.partners.through, user))
        | Q(pk__in=_my_org_projects(Project.organizations.through, user))
        | Q(pk__in=ProjectMember.objects.filter(user=user).values("project_id"))
        | Q(pk__in=Follow.objects.filter(user=user).values("project_id"))
    )


def my_projects(user) -> QuerySet[Project]:
    """The partner dashboard's projects: those shared with me, mine, and those I follow
    (all of them for organizers), always within ``projects_visible_to``."""
    return _mine(project_list(user), user)


def my_project_ids(user):
    """The ids of ``my_projects`` as a subquery (for filter choices and counts)."""
    return _mine(projects_visible_to(user), user).order_by().values("pk")


def portfolio_summary(projects: QuerySet[Project]) -> dict:
    """By phase and late milestones over ``projects`` (already scoped and filtered)."""
    ids = projects.order_by().values("pk")
    phases = dict(
        Project.objects.filter(pk__in=ids)
        .order_by()
        .values_list("phase")
        .annotate(n=Count("pk"))
        .values_list("phase", "n")
    )
    late = Milestone.objects.filter(
        project__in=ids, done_on__isnull=True, due_on__lt=timezone.localdate()
    ).count()
    return {"phases": phases, "total": sum(phases.values()), "late": late}


def portfolio(user, params) -> tuple:
    """The funder's portfolio: my projects (``my_projects``) narrowed by the directory's
    filters (event, phase, theme, region, partner…). Returns ``(filterset, queryset)``;
    invalid filters give the unfiltered set with the form's errors."""
    from .filtersets import ProjectFilterSet

    base = dashboard_projects(user)
    filterset = ProjectFilterSet(params or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, qs.order_by("-updated_at", "-id")


def dashboard_projects(user) -> QuerySet[Project]:
    return my_projects(user).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id"))
    )


def stories_visible_to(user) -> QuerySet[Story]:
    """Published stories of visible projects (and drafts for those who may edit them)."""
    visible = projects_visible_to(user)
    qs = Story.objects.filter(project__in=visible).select_related("project")
    if is_organizer(user):
        return qs
    if is_account(user):
        return qs.filter(
            Q(published_at__isnull=False)
            | Q(project__in=ProjectMember.objects.filter(user=user).values("project_id"))
        )
    return qs.filter(published_at__isnull=False)
