"""Regressions found by tests/hostile/test_form_sweep.py: each of these inputs used to be a 500."""

import pytest
from django.urls import reverse

from impact.models import Benefit
from impact.services.returns import FiguresInvalid, clean_figures
from tests.factories import GOOD_FIGURES

from .reading import read_figures

pytestmark = pytest.mark.django_db
HUGE = "9" * 29  # more digits than a Decimal's default context holds: quantize() would raise InvalidOperation


@pytest.mark.parametrize(
    ("key", "message"),
    [("fte", "Enter a realistic number for full-time"), ("turnover", "Enter a realistic amount for")],
)
def test_a_figure_too_large_to_round_is_refused_with_a_message(key, message):
    with pytest.raises(FiguresInvalid) as refused:
        clean_figures(read_figures({**GOOD_FIGURES, key: HUGE}))
    assert refused.value.errors[key].startswith(message)


def test_the_return_form_says_so_and_keeps_what_was_typed(client, cast):
    client.force_login(cast.team)
    response = client.post(reverse("impact:return", args=[cast.impact_return.pk]), {**GOOD_FIGURES, "fte": HUGE})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a realistic number for full-time" in body and HUGE in body


@pytest.mark.parametrize("challenge", ["abc", "2026-02-30", "1.5", "²", "", "9" * 29])
def test_a_benefit_for_a_challenge_that_is_not_an_id_is_refused_on_the_field(client, cast, challenge):
    client.force_login(cast.sponsor)
    response = client.post(reverse("impact:benefit_new"), {"challenge": challenge, "title": "Saving"})
    assert response.status_code == 200
    assert 'href="#id_challenge"' in response.content.decode()  # the error summary points at the field
    assert not Benefit.objects.exists()
