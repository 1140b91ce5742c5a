from types import SimpleNamespace

import pytest

from tests.factories import (
    PublicBodyFactory,
    UserFactory,
    make_applicant,
    make_challenge,
    make_engagement,
    make_impact_return,
    make_round,
    make_sponsor_member,
    staff_user,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cast():
    """Two teams on two challenges of two sponsors, a return for each team, and everyone who might look."""
    staff = staff_user()
    body, other_body = PublicBodyFactory(), PublicBodyFactory()
    challenge = make_challenge(sponsor=body, round=make_round(opened_days_ago=60), title="Rural bus demand")
    other_challenge = make_challenge(sponsor=other_body, round=make_round(opened_days_ago=60), title="Other")
    team, other_team = make_applicant(), make_applicant()
    engagement = make_engagement(challenge=challenge, applicant=team, by=staff)
    other_engagement = make_engagement(challenge=other_challenge, applicant=other_team, by=staff)
    # Starting an engagement schedules its returns (tested in test_schedule); these tests set their own dates.
    for started in (engagement, other_engagement):
        started.impact_returns.all().delete()
    return SimpleNamespace(
        staff=staff,
        body=body,
        other_body=other_body,
        challenge=challenge,
        other_challenge=other_challenge,
        team=team,
        other_team=other_team,
        engagement=engagement,
        other_engagement=other_engagement,
        impact_return=make_impact_return(engagement=engagement),
        other_return=make_impact_return(engagement=other_engagement),
        sponsor=make_sponsor_member(body, mfa=True),
        other_sponsor=make_sponsor_member(other_body, mfa=True),
        stranger=UserFactory(),
    )
