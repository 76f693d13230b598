from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts, board, events, organizer, profiles

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
    path("events/<int:pk>/board/", board.board, name="board"),
    path("events/<int:pk>/board/post/", board.board_post, name="board-post"),
    path("events/<int:pk>/board/vote/", board.board_vote, name="board-vote"),
]

urlpatterns += [
    path("me/", profiles.my_profile, name="my-profile"),
    path("organize/", organizer.dashboard, name="organizer-dashboard"),
]
