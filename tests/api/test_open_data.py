"""/open-data/: the page lists every dataset with its data dictionary, and each CSV has exactly those columns."""

import csv
import io

import pytest

from api.open_data import DATASETS
from tests.conftest import response_text

pytestmark = pytest.mark.django_db


def test_the_page_lists_every_download_with_its_dictionary(programme, client):
    response = client.get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    for dataset in DATASETS:
        assert f'href="/open-data/{dataset.slug}.csv"' in html
        assert f"Data dictionary: {dataset.filename}" in html
        assert all(f"<code>{c.field}</code>" in html for c in dataset.columns)


@pytest.mark.parametrize("dataset", DATASETS, ids=lambda d: d.slug)
def test_each_csv_has_the_dictionary_columns_and_rows(programme, client, dataset):
    response = client.get(f"/open-data/{dataset.slug}.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response_text(response))))
    assert rows[0] == [c.field for c in dataset.columns]
    assert len(rows) > 1


def test_contracts_csv_matches_the_api(programme, client, anon):
    rows = list(csv.DictReader(io.StringIO(response_text(client.get("/open-data/contracts.csv")))))
    api = anon.get("/api/v1/contracts/?limit=500").json()["results"]
    assert [(r["id"], r["value"]) for r in rows] == [(str(c["id"]), c["value"]) for c in api]


def test_an_unknown_dataset_is_not_found(client):
    assert client.get("/open-data/secrets.csv").status_code == 404
