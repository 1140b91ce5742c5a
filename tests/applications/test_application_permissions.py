"""Who may start, see and change an application: one table, allowed and refused alike."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.roles import Role
from applications.services import application_submit
from challenges.models import Round
from civtech.permissions import has_permission
from organisations.services import membership_add
from tests.factories import (
    ALL_DECLARED,
    PublicBodyFactory,
    UserFactory,
    make_applicant,
    make_application,
    make_challenge,
)

pytestmark = pytest.mark.django_db

# who → (start, view, edit) while the call is open
OPEN = {
    "anonymous": (False, False, False),
    "owner": (True, True, True),
    "colleague": (True, True, True),
    "other_company": (True, False, False),
    "sponsor_of_this_challenge": (False, False, False),
    "sponsor_of_another": (False, False, False),
    "no_organisation": (False, False, False),
    "programme_staff": (False, True, False),
}
# after the call closes: sponsors of the challenge may read submitted applications; nobody may edit
CLOSED_VIEW = {"sponsor_of_this_challenge": True, "sponsor_of_another": False, "owner": True, "other_company": False}


@pytest.fixture
def people():
    sponsor = PublicBodyFactory()
    challenge = make_challenge(sponsor=sponsor)
    application = make_application(challenge=challenge)
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    application.refresh_from_db()
    sponsor_user = UserFactory(role=Role.SPONSOR)
    membership_add(organisation=sponsor, user=sponsor_user, role="member", by=None)
    other_sponsor = UserFactory(role=Role.SPONSOR)
    membership_add(organisation=PublicBodyFactory(), user=other_sponsor, role="member", by=None)
    return application, {
        "anonymous": AnonymousUser(),
        "owner": application.created_by,
        "colleague": make_applicant(organisation=application.organisation),
        "other_company": make_applicant(),
        "sponsor_of_this_challenge": sponsor_user,
        "sponsor_of_another": other_sponsor,
        "no_organisation": UserFactory(),
        "programme_staff": UserFactory(role=Role.PROGRAMME_STAFF),
    }


@pytest.mark.parametrize("who", OPEN)
def test_while_the_call_is_open(people, who):
    application, users = people
    user = users[who]
    got = tuple(
        has_permission(action, user, obj)[0]
        for action, obj in [
            ("application.start", application.challenge),
            ("application.view", application),
            ("application.edit", application),
        ]
    )
    assert got == OPEN[who]


@pytest.mark.parametrize("who", CLOSED_VIEW)
def test_after_the_call_closes(people, who):
    application, users = people
    Round.objects.filter(pk=application.challenge.round_id).update(call_closes=timezone.now() - timedelta(minutes=1))
    application.challenge.round.refresh_from_db()
    assert has_permission("application.view", users[who], application)[0] is CLOSED_VIEW[who]
    allowed, reason = has_permission("application.edit", users[who], application)
    assert not allowed and reason


def test_sponsors_never_see_drafts(people):
    _, users = people
    draft = make_application(challenge=people[0].challenge)
    Round.objects.filter(pk=draft.challenge.round_id).update(call_closes=timezone.now() - timedelta(minutes=1))
    draft.challenge.round.refresh_from_db()
    allowed, reason = has_permission("application.view", users["sponsor_of_this_challenge"], draft)
    assert not allowed
    assert reason == "Draft applications are private to the applicant."
