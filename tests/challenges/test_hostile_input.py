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


# Found by tests/hostile/test_query_sweep.py, each a 500 before.
def test_a_search_with_a_null_character_is_refused_with_a_page_that_says_so(client):
    """The issue's own probe: /challenges/?q=%00. The shared middleware refuses NUL in any query string."""
    make_challenge(title="Reduce missed appointments")
    response = client.get("/challenges/?q=%00")
    assert response.status_code == 400
    assert "null character" in response.content.decode()
    assert client.get("/challenges/?q=a%2500b").status_code == 200  # the text "%00" is no NUL


def test_the_filter_form_ignores_a_search_it_cannot_use_with_a_message():
    """Behind the middleware, the form itself no longer assumes only its choices can be wrong (it raised
    KeyError on the search field's own validation error)."""
    from django.http import QueryDict

    from challenges.forms_listing import ChallengeFilterForm
    from challenges.selectors import challenges_for_listing

    form = ChallengeFilterForm(QueryDict("q=abc%00def&sort=latest"), live_challenges=challenges_for_listing())
    assert form.value("q") == "" and form.sort_order == "latest"
    assert form.ignored == ["We did not recognise the search “abcdef”, so we are showing every challenge."]


@pytest.mark.parametrize("year", ["-1", "0", "10000", "99999999999999999999999999999", "1e309", "²", "x"])
def test_the_rounds_listing_ignores_a_year_that_is_not_one(client, year):
    from tests.factories import make_round

    make_round(name="CivTech Ninety")
    client.force_login(staff_user())
    response = client.get(reverse("wagtailsnippets_challenges_round:list"), {"call_opens__year": year})
    assert response.status_code == 200
    assert "CivTech Ninety" in response.content.decode()


def test_the_rounds_listing_searches_names_and_codes(client):
    from tests.factories import make_round

    found, other = make_round(name="CivTech Ninety"), make_round(name="CivTech Other")
    client.force_login(staff_user())
    url = reverse("wagtailsnippets_challenges_round:list")
    for query in (found.code, "Ninety"):
        html = client.get(url, {"q": query}).content.decode()
        assert found.name in html and other.name not in html, query
