"""The API's one router (CONTRACT.md lists the paths clients rely on)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .views import (
    accounts,
    board,
    events,
    help,
    people,
    polls,
    projects,
    reports,
    room,
    webhooks,
)
from .views import schedule as schedule_views

app_name = "api"

router = DefaultRouter()
router.register("users", accounts.UserViewSet, basename="user")
router.register("skills", people.SkillViewSet, basename="skill")
router.register("organizations", people.OrganizationViewSet, basename="organization")
router.register("experts", people.ExpertViewSet, basename="expert")
router.register("events", events.EventViewSet, basename="event")
router.register(r"events/(?P<event_pk>[0-9]+)/themes", events.ThemeViewSet, basename="event-theme")
router.register(r"events/(?P<event_pk>[0-9]+)/slots", events.TimeSlotViewSet, basename="event-slot")
router.register(
    r"events/(?P<event_pk>[0-9]+)/registrations",
    events.RegistrationViewSet,
    basename="event-registration",
)
router.register("help-requests", help.HelpRequestViewSet, basename="help-request")
router.register("notifications", help.NotificationViewSet, basename="notification")
router.register("projects", projects.ProjectViewSet, basename="project")
router.register(
    r"projects/(?P<project_pk>[0-9]+)/milestones",
    projects.MilestoneViewSet,
    basename="project-milestone",
)
router.register(
    r"projects/(?P<project_pk>[0-9]+)/updates",
    projects.ProjectUpdateViewSet,
    basename="project-update",
)
router.register(
    r"projects/(?P<project_pk>[0-9]+)/indicators",
    projects.IndicatorViewSet,
    basename="project-indicator",
)
router.register("stories", projects.StoryViewSet, basename="story")
router.register("phase-criteria", projects.PhaseCriterionViewSet, basename="phase-criterion")
router.register("webhooks", webhooks.WebhookViewSet, basename="webhook")
router.register(r"events/(?P<event_pk>[0-9]+)/ideas", board.EventIdeaViewSet, basename="event-idea")
router.register("ideas", board.IdeaViewSet, basename="idea")
router.register(
    r"ideas/(?P<idea_pk>[0-9]+)/comments", board.IdeaCommentViewSet, basename="idea-comment"
)

urlpatterns = [
    path("auth/token/", accounts.TokenView.as_view(), name="auth-token"),
    path("auth/register/", accounts.RegisterView.as_view(), name="auth-register"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("me/export/", accounts.MeExportView.as_view(), name="me-export"),
    path("participants/me/", accounts.ParticipantMeView.as_view(), name="participant-me"),
    path("events/<int:pk>/help-stats/", help.EventHelpStatsView.as_view(), name="event-help-stats"),
    path("me/agenda-feed/", schedule_views.MeAgendaFeedView.as_view(), name="me-agenda-feed"),
    path(
        "agenda-feed/<str:token>.ics",
        schedule_views.AgendaFeedICalView.as_view(),
        name="agenda-feed-ics",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI inside the product's own page (language, landmarks, heading: axe-clean).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="frontend/api_docs.html"
        ),
        name="docs",
    ),
    # iCalendar feeds keep their file-like names (no trailing slash), as CONTRACT.md says.
    path(
        "events/calendar.ics",
        events.EventViewSet.as_view({"get": "calendar_all"}),
        name="event-calendar-all",
    ),
    path(
        "events/<int:pk>/calendar.ics",
        events.EventViewSet.as_view({"get": "calendar"}),
        name="event-calendar",
    ),
    path("events/<int:pk>/schedule/", schedule_views.ScheduleView.as_view(), name="event-schedule"),
    path(
        "events/<int:pk>/schedule/publish/",
        schedule_views.SchedulePublishView.as_view(),
        name="event-schedule-publish",
    ),
    path(
        "events/<int:pk>/schedule/pin/",
        schedule_views.MeetingPinView.as_view(),
        name="event-schedule-pin",
    ),
    path(
        "events/<int:pk>/schedule/remove/",
        schedule_views.MeetingRemoveView.as_view(),
        name="event-schedule-remove",
    ),
    path(
        "events/<int:pk>/schedule/no-show/",
        schedule_views.MeetingNoShowView.as_view(),
        name="event-schedule-no-show",
    ),
    path("events/<int:pk>/agenda/", schedule_views.AgendaView.as_view(), name="event-agenda"),
    path(
        "events/<int:pk>/agenda.ics",
        schedule_views.AgendaICalView.as_view(),
        name="event-agenda-ics",
    ),
    path(
        "events/<int:pk>/agenda.pdf",
        schedule_views.AgendaPDFView.as_view(),
        name="event-agenda-pdf",
    ),
    # Reports and open data (file-like names, before the router's `<pk>.<format>` routes).
    path("events/<int:pk>/report.pdf", reports.EventReportView.as_view(), name="event-report"),
    path("events/<int:pk>/badges.pdf", reports.EventBadgesView.as_view(), name="event-badges"),
    path("events/<int:pk>/poster.pdf", reports.EventPosterView.as_view(), name="event-poster"),
    path("events/<int:pk>/stats/", reports.EventStatsView.as_view(), name="event-stats"),
    path(
        "events/<int:pk>/datapackage.zip",
        reports.EventDataPackageView.as_view(),
        name="event-datapackage",
    ),
    path(
        "projects/<int:pk>/report.pdf",
        reports.ProjectReportView.as_view(),
        name="project-report",
    ),
    path(
        "events/<int:pk>/ideas/export.csv",
        reports.IdeasExportCsv.as_view(),
        name="event-ideas-export-csv",
    ),
    path(
        "events/<int:pk>/ideas/export.json",
        reports.IdeasExportJson.as_view(),
        name="event-ideas-export-json",
    ),
    path(
        "projects/indicators/export.csv",
        reports.IndicatorsExportCsv.as_view(),
        name="indicators-export-csv",
    ),
    path(
        "projects/indicators/export.json",
        reports.IndicatorsExportJson.as_view(),
        name="indicators-export-json",
    ),
    path(
        "events/export.csv",
        reports.EventsExportCsv.as_view(),
        name="events-export-csv",
    ),
    path(
        "events/export.json",
        reports.EventsExportJson.as_view(),
        name="events-export-json",
    ),
    path(
        "experts/me/suggestions/",
        help.MySuggestionsView.as_view(),
        name="expert-my-suggestions",
    ),
    path(
        "projects/export.csv",
        projects.ProjectViewSet.as_view({"get": "export_csv"}),
        name="project-export-csv",
    ),
    path(
        "projects/export.json",
        projects.ProjectViewSet.as_view({"get": "export_json"}),
        name="project-export-json",
    ),
    path(
        "projects/portfolio.csv",
        projects.ProjectViewSet.as_view({"get": "portfolio_csv"}),
        name="project-portfolio-csv",
    ),
    path(
        "projects/portfolio.pdf",
        projects.ProjectViewSet.as_view({"get": "portfolio_pdf"}),
        name="project-portfolio-pdf",
    ),
    path("join/", board.JoinView.as_view(), name="join"),
    path("events/<int:event_pk>/board/", board.BoardView.as_view(), name="event-board"),
    path(
        "events/<int:event_pk>/participants/<int:pk>/ban/",
        board.ParticipantBanView.as_view(),
        name="event-participant-ban",
    ),
    path(
        "events/<int:event_pk>/moderators/",
        room.EventModeratorsView.as_view(),
        name="event-moderators",
    ),
    path(
        "events/<int:event_pk>/moderators/<int:user_pk>/",
        room.EventModeratorView.as_view(),
        name="event-moderator",
    ),
    path(
        "events/<int:event_pk>/duplicates/",
        room.EventDuplicatesView.as_view(),
        name="event-duplicates",
    ),
    path("events/<int:event_pk>/polls/", polls.EventPollsView.as_view(), name="event-polls"),
    path("polls/<int:pk>/", polls.PollView.as_view(), name="poll"),
    path("polls/<int:pk>/answer/", polls.PollAnswerView.as_view(), name="poll-answer"),
    path("polls/<int:pk>/results/", polls.PollResultsView.as_view(), name="poll-results"),
    path("", include(router.urls)),
]
