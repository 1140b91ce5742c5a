"""Programme staff manage rounds, sectors, questions and see the challenge pipeline in the Wagtail admin."""

import pytest
from django.urls import reverse

from tests.conftest import response_text
from tests.factories import make_challenge, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(staff_user())
    return client


def test_staff_see_the_pipeline_with_round_sponsor_and_approval_step(staff_client):
    live = make_challenge(title="Predict potholes")
    draft = make_challenge(title="Cut school food waste", live=False)
    response = staff_client.get(reverse("challenge_pipeline:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Predict potholes" in html and "Cut school food waste" in html
    assert str(live.round) in html
    assert "Published" in html and "Draft" in html
    filtered = staff_client.get(reverse("challenge_pipeline:index"), {"round": draft.round.pk})
    assert "Cut school food waste" in filtered.content.decode()
    assert "Predict potholes" not in filtered.content.decode()


def test_pipeline_exports_csv(staff_client):
    make_challenge(title="Predict potholes")
    response = staff_client.get(reverse("challenge_pipeline:index"), {"export": "csv"})
    assert response.status_code == 200
    body = response_text(response)
    assert "Predict potholes" in body


@pytest.mark.parametrize("name", ["challenges_round", "challenges_sector", "challenges_clarification"])
def test_staff_manage_programme_records(staff_client, name):
    make_challenge()
    response = staff_client.get(reverse(f"wagtailsnippets_{name}:list"))
    assert response.status_code == 200


def test_round_export_lists_its_dates(staff_client):
    challenge = make_challenge()
    response = staff_client.get(reverse("wagtailsnippets_challenges_round:list"), {"export": "csv"})
    body = response_text(response)
    assert challenge.round.name in body
    assert "Call opens" in body or "call_opens" in body.lower()
