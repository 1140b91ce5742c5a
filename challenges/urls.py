from django.urls import path

from . import views
from .views.routing import at_challenge_index, at_challenge_page

app_name = "challenges"

# The listing and each challenge are Wagtail pages; what is not editorial, under their URLs or beside them, is here.
urlpatterns = [
    path("challenges/feed/", at_challenge_index(views.open_challenges_feed), name="feed"),
    path("challenges/rounds/<slug:slug>/", at_challenge_index(views.round_detail), name="round"),
    path("challenges/<slug:body>/<slug:slug>/calendar/", at_challenge_page(views.challenge_calendar), name="calendar"),
    path("challenges/<slug:body>/<slug:slug>/questions/", at_challenge_page(views.question_ask), name="ask"),
    path("alerts/", views.alert_subscribe, name="alert_subscribe"),
    path("alerts/confirm/<str:token>/", views.alert_confirm, name="alert_confirm"),
    path("alerts/unsubscribe/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("questions/answer/", views.answer_list, name="answer_list"),
    path("questions/<int:pk>/answer/", views.question_answer, name="answer"),
    path("follow/<int:page_id>/", views.challenge_follow, name="follow"),
]
