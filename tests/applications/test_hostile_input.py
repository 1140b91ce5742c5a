"""Regressions found by tests/hostile/test_form_sweep.py: a NUL character in a saved answer used to be a 500
(PostgreSQL cannot store it); an empty POST to an assessor's form used to come back without saying why."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.services import application_save, application_submit
from applications.services.assessment import assignment_create
from civtech.errors import DomainError
from tests.applications.evaluation import close_call
from tests.factories import ALL_DECLARED, UserFactory, make_application, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return make_application()


def test_a_null_character_is_refused_by_the_service_on_its_section(application):
    with pytest.raises(DomainError) as refused:
        application_save(application=application, by=application.created_by, answers={"idea": "An\x00idea"})
    assert refused.value.field == "idea" and "null characters" in refused.value.message


def test_autosave_answers_400_with_the_reason_and_keeps_the_saved_answer(client, application):
    client.force_login(application.created_by)
    before = application.answers["idea"]
    response = client.post(reverse("applications:autosave", args=[application.pk, "idea"]), {"text": "A\x00B"})
    assert response.status_code == 400
    assert "null characters are not allowed" in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    application.refresh_from_db()
    assert application.answers["idea"] == before


def test_the_section_form_refuses_it_on_the_field(client, application):
    client.force_login(application.created_by)
    response = client.post(reverse("applications:section", args=[application.pk, "idea"]), {"idea": "A\x00B"})
    assert response.status_code == 200
    assert "ds_error-summary" in response.content.decode()


def test_an_empty_post_to_the_assessors_forms_says_what_is_missing(client, application):
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    close_call(application.challenge.round)
    application.refresh_from_db()
    assessor = UserFactory(role=Role.ASSESSOR, mfa=True)
    assignment = assignment_create(application=application, assessor=assessor, by=staff_user())
    client.force_login(assessor)
    declare = client.post(reverse("applications:assess_declare", args=[assignment.pk]))
    assert declare.status_code == 200 and "ds_error-summary" in declare.content.decode()
    client.post(reverse("applications:assess_declare", args=[assignment.pk]), {"has_conflict": "no"})
    score = client.post(reverse("applications:assess_score", args=[assignment.pk]))
    assert score.status_code == 200 and "ds_error-summary" in score.content.decode()
