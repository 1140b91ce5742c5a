"""/open-data/: the downloads page (design system) and the CSV files."""

import csv

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from ..open_data import BY_SLUG, DATASETS, csv_rows


class _Echo:
    def write(self, value):
        return value


def open_data(request):
    return render(request, "api/open_data.html", {
        "datasets": DATASETS,
        "releases_url": reverse("api:ocds-releases"),
        "records_url": reverse("api:ocds-records"),
    })  # fmt: skip


def dataset_csv(request, slug: str):
    dataset = BY_SLUG.get(slug)
    if dataset is None:
        raise Http404("No such dataset")
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in csv_rows(dataset)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{dataset.filename}"'
    return response
