"""Regression found by tests/hostile/test_form_sweep.py: an empty POST came back with the form and no message."""

import pytest
from django.urls import reverse

from tests.factories import make_applicant

pytestmark = pytest.mark.django_db


def test_an_empty_post_to_the_organisation_forms_says_what_is_missing(client):
    applicant = make_applicant()
    client.force_login(applicant)
    slug = applicant.memberships.get().organisation.slug
    for url in (reverse("organisations:create"), reverse("organisations:invite", args=[slug])):
        response = client.post(url)
        assert response.status_code == 200, url
        assert "ds_error-summary" in response.content.decode(), url
