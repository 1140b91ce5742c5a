from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import (
    PublicBodyFactory,
    UserFactory,
    make_applicant,
    make_challenge,
    make_engagement,
    make_round,
    make_sponsor_member,
    staff_user,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "prototype.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def ws():
    """An exploration workspace and everyone who might try to reach it."""
    sponsor_body = PublicBodyFactory()
    challenge = make_challenge(sponsor=sponsor_body, round=make_round(opened_days_ago=60))
    team = make_applicant()
    staff = staff_user()
    engagement = make_engagement(challenge=challenge, applicant=team, by=staff)
    sponsor = make_sponsor_member(sponsor_body, mfa=True)
    # Another team on another challenge of another sponsor, for the "not yours" cases.
    other_body = PublicBodyFactory()
    other_challenge = make_challenge(sponsor=other_body, round=make_round(opened_days_ago=60), title="Other")
    other_team = make_applicant()
    other = make_engagement(challenge=other_challenge, applicant=other_team, by=staff)
    return SimpleNamespace(
        engagement=engagement,
        challenge=challenge,
        team=team,
        sponsor=sponsor,
        staff=staff,
        other=other,
        other_team=other_team,
        other_sponsor=make_sponsor_member(other_body, mfa=True),
        stranger=UserFactory(),
    )
