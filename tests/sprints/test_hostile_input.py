"""Regression found by tests/hostile/test_form_sweep.py: a NUL character in pitch feedback used to be a 500
(PostgreSQL cannot store it); now the decision is refused with a message and nothing changes."""

import pytest
from django.urls import reverse

from civtech.errors import DomainError
from sprints import services
from sprints.models import Engagement
from tests.factories import make_engagement

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def pitched(ws):
    second = make_engagement(challenge=ws.challenge, by=ws.staff)
    services.pitch_submit(engagement=ws.engagement, by=ws.team, summary="Plan", deck=pdf("deck.pdf"))
    return ws, second


def test_feedback_with_a_null_character_is_refused_by_the_service(pitched):
    ws, second = pitched
    with pytest.raises(DomainError, match="null characters"):
        services.pitch_decide(
            challenge=ws.challenge, chosen=[ws.engagement], feedback={second.pk: "No\x00"}, by=ws.staff
        )
    second.refresh_from_db()
    assert second.status == Engagement.Status.ACTIVE


def test_the_decision_page_shows_the_refusal(client, pitched):
    ws, second = pitched
    client.force_login(ws.staff)
    response = client.post(
        reverse("sprints:pitch_decision", args=[ws.challenge.pk]),
        {"chosen": str(ws.engagement.pk), f"feedback_{second.pk}": "Pitch\x00 again"},
    )
    assert response.status_code == 200
    assert "Remove the null characters from the feedback" in response.content.decode()


# Found by tests/hostile/test_query_sweep.py: "²" passes str.isdigit() but is no id, so the lessons library's
# challenge filter looked it up and 500ed; now anything that is not an id is ignored and every lesson is shown.
@pytest.mark.parametrize("value", ["²", "١٢٣", "99999999999999999999999999999", "2147483648", "-1", "1.5", " 1", ""])
def test_a_challenge_filter_that_is_not_an_id_is_ignored(client, ws, value):
    response = client.get(reverse("sprints:lessons_library"), {"challenge": value})
    assert response.status_code == 200
    assert response.context["challenge"] is None


def test_a_challenge_filter_with_an_id_still_filters(client, ws):
    response = client.get(reverse("sprints:lessons_library"), {"challenge": str(ws.challenge.pk)})
    assert response.context["challenge"] == ws.challenge
