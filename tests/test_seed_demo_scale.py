"""seed_demo --scale: the volume for benchmarks, with progress printed as it goes.

Both tests read one scaled seeding (about a minute; see tests/conftest.py: seeded_for_module).
"""

import pytest

from challenges.demo import CHALLENGES, ROUNDS
from challenges.models import ChallengePage, Round
from organisations.demo import COMPANIES, PUBLIC_BODIES
from organisations.models import Organisation
from tests.conftest import seeded_for_module

# One worker seeds for the whole module (see seeded_for_module).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo_scale")]
SCALE = 2  # a factor other than one is what proves the multiplying; each batch costs about 20 s


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """The demo at twice its volume, seeded once for this module; what seed_demo printed."""
    with seeded_for_module(django_db_blocker, "--scale", str(SCALE), "--quiet-credentials") as printed:
        yield printed


def test_scale_multiplies_the_volume(scaled):
    assert Organisation.objects.suppliers().count() == SCALE * len(COMPANIES)
    assert Organisation.objects.public_bodies().count() == len(PUBLIC_BODIES)
    assert ChallengePage.objects.live().count() == SCALE * len(CHALLENGES)
    assert ChallengePage.objects.filter(slug="rural-bus-demand-2", title__endswith="(copy 2)").exists()
    assert Round.objects.count() == len(ROUNDS)  # copies share the rounds


def test_seed_demo_prints_progress(scaled):
    for batch in range(1, SCALE + 1):
        assert f"organisations: {batch}/{SCALE} batches" in scaled
        assert f"challenges: {batch}/{SCALE} batches" in scaled
