from django.urls import path

from . import views

app_name = "challenges"

# The listing, challenge pages, round pages, feed and calendars are Wagtail page routes
# (see ChallengeIndexPage and ChallengePage); these are the views that are not pages.
urlpatterns = [
    path("alerts/", views.alert_subscribe, name="alert_subscribe"),
    path("alerts/confirm/<str:token>/", views.alert_confirm, name="alert_confirm"),
    path("alerts/unsubscribe/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("questions/answer/", views.answer_list, name="answer_list"),
    path("questions/<int:pk>/answer/", views.question_answer, name="answer"),
    path("follow/<int:page_id>/", views.challenge_follow, name="follow"),
]
