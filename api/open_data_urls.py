"""/open-data/: the page of downloads and its CSV files (not namespaced: they are pages, not the API)."""

from django.urls import path

from .views.open_data import dataset_csv, open_data

urlpatterns = [
    path("", open_data, name="open_data"),
    path("<slug:slug>.csv", dataset_csv, name="open_data_csv"),
]
