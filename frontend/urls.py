from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts, events, organizer, profiles, projects

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
