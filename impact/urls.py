"""The company's returns and the sponsor's benefits. Not under /impact/: that is the public Wagtail impact page."""

from django.urls import path

from .views import company as views

app_name = "impact"

urlpatterns = [
    path("returns/", views.return_list, name="returns"),
    path("returns/<int:pk>/", views.return_detail, name="return"),
    path("returns/<int:pk>/correct/", views.return_correct, name="return_correct"),
    path("benefits/", views.benefit_list, name="benefits"),
    path("benefits/new/", views.benefit_new, name="benefit_new"),
    path("benefits/<int:pk>/", views.benefit_detail, name="benefit"),
    path("benefits/<int:pk>/evidence/", views.benefit_evidence, name="benefit_evidence"),
]
