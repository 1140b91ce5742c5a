from django.urls import path

from . import views

app_name = "discovery"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/autocomplete/", views.autocomplete, name="autocomplete"),
    path("search/recommended/", views.recommended, name="recommended"),
    path("search/similar/", views.similar, name="similar"),
    path("solutions/", views.solutions, name="solutions"),
    path("solutions/<int:pk>/", views.solution_detail, name="solution"),
    path("solutions/companies/<slug:slug>/", views.company_detail, name="company"),
]
