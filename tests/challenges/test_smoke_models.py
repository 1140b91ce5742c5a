import pytest

from challenges.models import ChallengePage
from challenges.status import Status
from tests.factories import PublicBodyFactory, make_challenge, make_round, make_sector

pytestmark = pytest.mark.django_db


def test_a_published_challenge_sits_in_its_sponsor_space_and_is_open():
    sponsor = PublicBodyFactory(name="Transport Scotland", slug="transport-scotland")
    challenge = make_challenge(sponsor=sponsor, title="Predict rail delays", sectors=[make_sector("Transport")])
    assert challenge.sponsor == sponsor
    assert challenge.url == "/challenges/transport-scotland/predict-rail-delays/"
    assert challenge.status == Status.OPEN
    assert challenge.round.criteria.count() == 8
    assert ChallengePage.objects.live().count() == 1


def test_a_draft_is_not_live():
    challenge = make_challenge(live=False, round=make_round(opened_days_ago=-3))
    assert not challenge.live
    assert challenge.status == Status.UPCOMING
