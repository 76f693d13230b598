from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from .views import accounts, events, organizer, profiles

app_name = "frontend"

urlpatterns = [
    path("", events.home, name="home"),
    path("events/", events.event_list, name="event-list"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/register/", events.event_register, name="event-register"),
    path("join/", events.join, name="join"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", accounts.signup, name="signup"),
]

urlpatterns += [
    path("me/", profiles.my_profile, name="my-profile"),
    path("organize/", organizer.dashboard, name="organizer-dashboard"),
]

from .views import help as help_pages  # noqa: E402 - help requests (issue 5)

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
]
