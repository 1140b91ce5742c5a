"""Security posture beyond the headers (see test_security_headers, accounts/test_mfa): rate limits on the public
forms, and no private file under a public URL."""

from html import unescape

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from applications.services import attachment_add
from challenges.models import Clarification
from cms.models import DemoDayRegistration
from tests.factories import UserFactory, make_application, make_challenge, make_demo_day, make_round

pytestmark = pytest.mark.django_db
TWO = {"alerts": "2/h", "questions": "2/h", "demo_day": "2/h"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@override_settings(FORM_RATE_LIMITS=TWO)
def test_alert_sign_ups_are_rate_limited_per_address_and_keep_what_was_typed(client):
    for n in range(2):
        assert client.post("/alerts/", {"email": f"person{n}@example.com", "keywords": "data"}).status_code == 302
    response = client.post("/alerts/", {"email": "third@example.com", "keywords": "flooding"})
    html = unescape(response.content.decode())
    assert response.status_code == 429
    assert "too many times" in html and 'value="third@example.com"' in html and "flooding" in html
    other_client = client_class_for(client)
    assert (
        other_client.post(
            "/alerts/", {"email": "x@example.com", "keywords": "data"}, REMOTE_ADDR="10.0.0.9"
        ).status_code
        == 302
    )


def client_class_for(client):
    return type(client)()


@override_settings(FORM_RATE_LIMITS=TWO)
def test_questions_are_rate_limited_per_person(client):
    challenge = make_challenge()
    asker = UserFactory()
    client.force_login(asker)
    url = challenge.url + "questions/"
    for n in range(2):
        assert client.post(url, {"question": f"Question number {n}?"}).status_code == 302
    response = client.post(url, {"question": "A third question about data?"})
    assert response.status_code == 429
    assert "A third question about data?" in unescape(response.content.decode())
    assert Clarification.objects.count() == 2


@override_settings(FORM_RATE_LIMITS=TWO)
def test_demo_day_registrations_are_rate_limited(client):
    page = make_demo_day(round=make_round(opened_days_ago=200))
    for n in range(2):
        response = client.post(page.url, {"name": f"Guest {n}", "email": f"guest{n}@example.com", "organisation": "X"})
        assert response.status_code == 302
    response = client.post(page.url, {"name": "Guest 3", "email": "guest3@example.com", "organisation": "X"})
    assert response.status_code == 429 and "too many times" in unescape(response.content.decode())
    assert DemoDayRegistration.objects.count() == 2


def shipped_limit(scope: str) -> int:
    """The count the product ships for a form (civtech/settings/base.py), which the test settings keep."""
    from civtech.settings import base

    assert settings.FORM_RATE_LIMITS[scope] == base.FORM_RATE_LIMITS[scope]
    count, period = base.FORM_RATE_LIMITS[scope].split("/")
    assert period == "h"
    return int(count)


def test_alert_sign_ups_at_the_shipped_limit_n_are_taken_and_n_plus_one_refused(client):
    n = shipped_limit("alerts")
    statuses = [
        client.post("/alerts/", {"email": f"person{i}@example.com", "keywords": "data"}).status_code
        for i in range(n + 1)
    ]
    assert statuses == [302] * n + [429]


def test_questions_at_the_shipped_limit_n_are_taken_and_n_plus_one_refused(client):
    n = shipped_limit("questions")
    challenge = make_challenge()
    client.force_login(UserFactory())
    url = challenge.url + "questions/"
    statuses = [client.post(url, {"question": f"Question number {i} about data?"}).status_code for i in range(n + 1)]
    assert statuses == [302] * n + [429]
    assert Clarification.objects.count() == n


def test_demo_day_registrations_at_the_shipped_limit_n_are_taken_and_n_plus_one_refused(client):
    n = shipped_limit("demo_day")
    page = make_demo_day(round=make_round(opened_days_ago=200))
    statuses = [
        client.post(page.url, {"name": f"Guest {i}", "email": f"guest{i}@example.com", "organisation": "X"}).status_code
        for i in range(n + 1)
    ]
    assert statuses == [302] * n + [429]
    assert DemoDayRegistration.objects.count() == n


def test_private_files_are_outside_the_public_media_folder_and_have_no_url(client):
    application = make_application()
    attachment = attachment_add(
        application=application, by=application.created_by, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    private_root = str(settings.PRIVATE_MEDIA_ROOT)
    assert not private_root.startswith(str(settings.MEDIA_ROOT))
    assert attachment.file.path.startswith(private_root)
    # whatever URL the storage would give, and the obvious guesses, serve nothing
    for guess in (
        attachment.file.url,
        f"/media/{attachment.file.name}",
        f"/media/private/{attachment.file.name}",
        f"/{attachment.file.name}",
    ):
        response = client.get(guess, follow=True)
        assert response.status_code == 404 and PDF not in response.content
