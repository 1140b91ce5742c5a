"""Regressions found by tests/hostile/test_form_sweep.py: a tampered parent in the challenge pipeline's "choose
parent" form used to be a 500 (Wagtail's page chooser looked the raw value up); an empty POST to the alerts form
or the sponsor's answer form used to come back with no message."""

import pytest
from django.urls import reverse

from challenges.models import Clarification
from tests.factories import PublicBodyFactory, UserFactory, make_challenge, make_sponsor_member, staff_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("parent", ["abc", "2026-02-30", "1.5", "", "99999999999999999999"])
def test_a_parent_that_is_not_a_page_is_refused_on_the_form(client, parent):
    make_challenge()
    client.force_login(staff_user())
    response = client.post(reverse("challenge_pipeline:choose_parent"), {"parent_page": parent})
    assert response.status_code == 200
    assert "error-message" in response.content.decode()


def test_an_empty_post_to_the_alerts_form_says_what_is_missing(client):
    response = client.post(reverse("challenges:alert_subscribe"))
    assert response.status_code == 200
    assert "ds_error-summary" in response.content.decode()


def test_an_empty_post_to_the_answer_form_says_what_is_missing(client):
    body = PublicBodyFactory()
    challenge = make_challenge(sponsor=body)
    question = Clarification.objects.create(challenge=challenge, question="How many?", asked_by=UserFactory())
    client.force_login(make_sponsor_member(body, mfa=True))
    response = client.post(reverse("challenges:answer", args=[question.pk]))
    assert response.status_code == 200
    assert "ds_error-summary" in response.content.decode()
