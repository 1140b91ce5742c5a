from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisations/", views.organisation_list, name="list"),
    path("organisations/new/", views.organisation_create, name="create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="detail"),
    path("organisations/<slug:slug>/invite/", views.invitation_create, name="invite"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
