from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from .views import (
    accounts,
    analytics,
    board,
    events,
    organizer,
    polls,
    privacy,
    profiles,
    projects,
    room,
    schedule,
)
from .views import help as help_pages

app_name = "frontend"

urlpatterns = [
    path("", events.home, name="home"),
    path("events/", events.event_list, name="event-list"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/register/", events.event_register, name="event-register"),
    path("join/", board.join, name="join"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", accounts.signup, name="signup"),
]

urlpatterns += [
    path("me/", profiles.my_profile, name="my-profile"),
    path("me/delete/", privacy.account_delete, name="account-delete"),
    path("privacy/", privacy.privacy_page, name="privacy"),
    path("organize/", organizer.dashboard, name="organizer-dashboard"),
]

# Organizer pages: events, themes, slots, registrations and check-in.
urlpatterns += [
    path("organize/events/new/", organizer.event_create, name="organizer-event-create"),
    path("organize/events/<int:pk>/", organizer.event_manage, name="organizer-event"),
    path("organize/events/<int:pk>/edit/", organizer.event_edit, name="organizer-event-edit"),
    path("organize/events/<int:pk>/status/", organizer.event_status, name="organizer-event-status"),
    path(
        "organize/events/<int:pk>/analytics/",
        analytics.event_analytics,
        name="organizer-event-analytics",
    ),
    path(
        "organize/events/<int:pk>/themes/new/",
        organizer.theme_create,
        name="organizer-theme-create",
    ),
    path(
        "organize/events/<int:pk>/themes/<int:theme_pk>/edit/",
        organizer.theme_edit,
        name="organizer-theme-edit",
    ),
    path(
        "organize/events/<int:pk>/themes/<int:theme_pk>/delete/",
        organizer.theme_delete,
        name="organizer-theme-delete",
    ),
    path(
        "organize/events/<int:pk>/themes/<int:theme_pk>/move/",
        organizer.theme_move,
        name="organizer-theme-move",
    ),
    path(
        "organize/events/<int:pk>/slots/new/", organizer.slot_create, name="organizer-slot-create"
    ),
    path(
        "organize/events/<int:pk>/slots/<int:slot_pk>/edit/",
        organizer.slot_edit,
        name="organizer-slot-edit",
    ),
    path(
        "organize/events/<int:pk>/slots/<int:slot_pk>/delete/",
        organizer.slot_delete,
        name="organizer-slot-delete",
    ),
    path(
        "organize/events/<int:pk>/registrations/",
        organizer.registrations,
        name="organizer-registrations",
    ),
    path(
        "organize/events/<int:pk>/registrations/<int:registration_pk>/check-in/",
        organizer.check_in,
        name="organizer-check-in",
    ),
]

# Profiles, kept once and reused: organisations, experts, account preferences.
urlpatterns += [
    path("me/preferences/", profiles.preferences, name="account-preferences"),
    path("me/expert/", profiles.expert_profile, name="expert-profile"),
    path("organizations/", profiles.organization_list, name="organization-list"),
    path("organizations/new/", profiles.organization_create, name="organization-create"),
    path("organizations/<int:pk>/", profiles.organization_detail, name="organization-detail"),
    path("organizations/<int:pk>/edit/", profiles.organization_edit, name="organization-edit"),
    path(
        "organizations/<int:pk>/members/",
        profiles.organization_member_add,
        name="organization-member-add",
    ),
    path(
        "organizations/<int:pk>/members/<int:user_pk>/remove/",
        profiles.organization_member_remove,
        name="organization-member-remove",
    ),
]

urlpatterns += [
    path("projects/", projects.project_list, name="project-list"),
    path("projects/new/", projects.project_create, name="project-create"),
    path("projects/<int:pk>/", projects.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project-edit"),
    path("projects/<int:pk>/follow/", projects.project_follow, name="project-follow"),
    path("projects/<int:pk>/story/edit/", projects.story_edit, name="story-edit"),
    path("partners/", projects.dashboard, name="partner-dashboard"),
    path("stories/", projects.story_list, name="story-list"),
    path("stories/<int:pk>/", projects.story_detail, name="story-detail"),
]

# The live board: the participant's page, the projector, moderation.
urlpatterns += [
    path("events/<int:pk>/board/", board.board, name="board"),
    path("events/<int:pk>/board/forget-me/", privacy.guest_forget, name="board-forget-me"),
    path("events/<int:pk>/board/post/", board.board_post, name="board-post"),
    path("events/<int:pk>/board/ideas/<int:idea_pk>/vote/", board.board_vote, name="board-vote"),
    path(
        "events/<int:pk>/board/ideas/<int:idea_pk>/comment/",
        board.board_comment,
        name="board-comment",
    ),
    path("events/<int:pk>/projector/", board.projector, name="board-projector"),
    path("events/<int:pk>/moderate/", board.moderate, name="board-moderate"),
    path("events/<int:pk>/moderate/queue/", board.moderate_queue, name="board-moderate-queue"),
    path("events/<int:pk>/join-qr.svg", board.join_qr, name="board-join-qr"),
]

# Help requests: organisations' requests, the expert's dashboard, notifications.
urlpatterns += [
    path("help/", help_pages.help_list, name="help-list"),
    path("help/new/", help_pages.help_create, name="help-create"),
    path("help/<int:pk>/", help_pages.help_detail, name="help-detail"),
    path("help/<int:pk>/edit/", help_pages.help_edit, name="help-edit"),
    path("help/<int:pk>/message/", help_pages.help_message, name="help-message"),
    re_path(
        r"^help/(?P<pk>[0-9]+)/(?P<verb>claim|start|resolve|release)/$",
        help_pages.help_transition,
        name="help-transition",
    ),
    path("expert/", help_pages.expert_dashboard, name="expert-dashboard"),
    path("notifications/", help_pages.notification_list, name="notifications"),
    path("organize/events/<int:pk>/help/", help_pages.help_desk_stats, name="organizer-help-stats"),
]

# Consultation schedule (issue 10): organizer board, sign-in sheets, each person's agenda.
urlpatterns += [
    path("organize/events/<int:pk>/schedule/", schedule.schedule_manage, name="organizer-schedule"),
    path(
        "organize/events/<int:pk>/schedule/organisations/",
        schedule.organization_options,
        name="organizer-schedule-options",
    ),
    path(
        "organize/events/<int:pk>/schedule/publish/",
        schedule.schedule_publish,
        name="organizer-schedule-publish",
    ),
    path(
        "organize/events/<int:pk>/schedule/pin/",
        schedule.meeting_pin_new,
        name="organizer-meeting-pin-new",
    ),
    path(
        "organize/events/<int:pk>/schedule/meetings/<int:meeting_pk>/pin/",
        schedule.meeting_pin,
        name="organizer-meeting-pin",
    ),
    path(
        "organize/events/<int:pk>/schedule/meetings/<int:meeting_pk>/remove/",
        schedule.meeting_remove,
        name="organizer-meeting-remove",
    ),
    path(
        "organize/events/<int:pk>/schedule/meetings/<int:meeting_pk>/no-show/",
        schedule.meeting_no_show,
        name="organizer-meeting-no-show",
    ),
    path(
        "organize/events/<int:pk>/schedule/rounds/<int:number>/sign-in/",
        schedule.signin_sheet,
        name="organizer-schedule-signin",
    ),
    path("events/<int:pk>/agenda/", schedule.agenda_page, name="event-agenda"),
    path(
        "events/<int:pk>/consultations/wishes/",
        schedule.consultation_wishes,
        name="consultation-wishes",
    ),
]

# The room (issue 18): co-moderators and facilitators, live polls.
urlpatterns += [
    path("organize/events/<int:pk>/moderators/", room.moderators, name="organizer-moderators"),
    path(
        "organize/events/<int:pk>/moderators/<int:user_pk>/remove/",
        room.moderator_remove,
        name="organizer-moderator-remove",
    ),
    path("events/<int:pk>/moderate/duplicates/", room.duplicates, name="board-duplicates"),
    path("events/<int:pk>/polls/", polls.polls_page, name="polls"),
    path("events/<int:pk>/polls/new/", polls.poll_create, name="poll-create"),
    path("events/<int:pk>/polls/<int:poll_pk>/status/", polls.poll_status, name="poll-status"),
    path("events/<int:pk>/polls/<int:poll_pk>/answer/", polls.poll_answer, name="poll-answer"),
]
