"""Alerts and clarification answers in a real browser: every page passes axe with the strict CSP on,
including with a validation error showing."""

import re

import pytest
from django.core import mail

from accounts.roles import Role
from challenges import services
from challenges.models import AlertSubscription, Clarification
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    PublicBodyFactory,
    UserFactory,
    make_challenge,
    make_sector,
    totp_fresh,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def link_in(body: str, kind: str) -> str:
    (link,) = [link for link in re.findall(r"https?://\S+", body) if f"/alerts/{kind}/" in link]
    return path_of(link)


def submit(page) -> None:
    page.pw.locator("main button[type=submit]").first.click()


def test_alerts_subscribe_confirm_and_unsubscribe(page):
    health = make_sector("Health")
    make_sector("Transport")

    page.goto("/alerts/")
    page.audit()

    # No sector or keyword: the error is summarised, linked to the sectors, and what was typed stays.
    page.pw.fill("input[name=email]", "reader@example.com")
    submit(page)
    page.pw.wait_for_selector(".ds_error-summary")
    assert "Select at least one sector or enter a keyword" in page.pw.inner_text(".ds_error-summary")
    assert page.pw.input_value("input[name=email]") == "reader@example.com"
    page.audit()

    page.pw.locator("label", has_text="Health").click()  # the DS draws the box over the input
    assert page.pw.get_by_label("Health").is_checked()
    page.pw.fill("input[name=keywords]", "waiting times")
    submit(page)
    page.pw.wait_for_selector("text=Check your email")
    page.audit()

    page.goto(link_in(mail.outbox[-1].body, "confirm"))
    page.audit()
    page.pw.get_by_role("button", name="Start my alerts").click()
    page.pw.wait_for_selector("h1:has-text('Your alerts are on')")
    page.audit()
    assert AlertSubscription.objects.get().is_active

    make_challenge(title="Shorter waits in A&E", sectors=[health])
    assert services.alerts_send_pending() == 1
    page.goto(link_in(mail.outbox[-1].body, "unsubscribe"))
    page.audit()
    page.pw.get_by_role("button", name="Unsubscribe").click()
    page.pw.wait_for_selector("h1:has-text('You have unsubscribed')")
    page.audit()
    assert not AlertSubscription.objects.get().is_active


def test_a_sponsor_answers_a_question_from_their_list(page):
    body = PublicBodyFactory(name="NHS Lothian", slug="nhs-lothian")
    sponsor = UserFactory(role=Role.SPONSOR, mfa=True, email="officer@nhs-lothian.example")
    MembershipFactory(organisation=body, user=sponsor)
    challenge = make_challenge(sponsor=body)
    asker = UserFactory(role=Role.APPLICANT, first_name="Morag", last_name="Quigglesworth")
    services.clarification_ask(challenge=challenge, by=asker, question="Can we use synthetic data?")

    page.goto("/questions/answer/")
    page.pw.wait_for_url("**/accounts/login/**")
    page.pw.fill("input[name=login]", sponsor.email)
    page.pw.fill("input[name=password]", PASSWORD)
    submit(page)
    page.pw.wait_for_url("**/accounts/2fa/authenticate/**")
    page.pw.fill("input[name=code]", totp_fresh())
    submit(page)
    page.pw.wait_for_url("**/questions/answer/")
    assert "Can we use synthetic data?" in page.pw.content()
    assert "Quigglesworth" not in page.pw.content()
    page.audit()

    page.pw.get_by_role("link", name=re.compile("^Answer")).first.click()
    page.pw.wait_for_url("**/questions/*/answer/")
    page.audit()
    page.pw.get_by_role("button", name="Publish answer").click()
    page.pw.wait_for_selector(".ds_error-summary")
    assert "Enter the answer" in page.pw.inner_text(".ds_error-summary")
    page.audit()

    page.pw.fill("textarea[name=answer]", "Yes, for the exploration stage.")
    page.pw.get_by_role("button", name="Publish answer").click()
    page.pw.wait_for_url("**/questions/answer/")
    assert "There are no questions waiting for an answer." in page.pw.content()
    page.audit()
    assert Clarification.objects.get().status == Clarification.Status.PUBLISHED

    # The published answer on the challenge page, which never says who asked.
    page.goto(challenge.url)
    section = page.pw.inner_text("#questions")
    assert "Can we use synthetic data?" in section
    assert "Yes, for the exploration stage." in section
    assert "Quigglesworth" not in page.pw.content()
    page.audit()
