"""The demo returns and benefits: every case the pages and reports need, and the same data on a second run."""

from io import StringIO

import pytest
from django.core.management import call_command

from impact.demo import seed_returns_and_benefits
from impact.models import Benefit, ImpactReturn, ImpactReturnCorrection
from impact.selectors import late_returns, stale_returns

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_case_and_is_idempotent():
    call_command("seed_demo", "--quiet-credentials", stdout=StringIO())
    lines = []
    seed_returns_and_benefits(log=lines.append)
    counts = (ImpactReturn.objects.count(), Benefit.objects.count(), ImpactReturnCorrection.objects.count())
    submitted = ImpactReturn.objects.filter(submitted_at__isnull=False)
    assert submitted.filter(verified_at__isnull=False).exists() and submitted.filter(verified_at__isnull=True)
    assert ImpactReturn.objects.filter(kind="periodic", submitted_at__isnull=False).exists()
    assert late_returns().exists() or stale_returns().exists()
    assert counts[2] == 1
    assert {b.kind for b in Benefit.objects.all()} == set(Benefit.Kind.values)
    assert {b.status for b in Benefit.objects.all()} == {Benefit.Status.VERIFIED, Benefit.Status.SUBMITTED}
    seed_returns_and_benefits(log=lines.append)
    assert (ImpactReturn.objects.count(), Benefit.objects.count(), ImpactReturnCorrection.objects.count()) == counts
    assert lines[1].startswith("impact: 0 returns submitted") and "0 benefits" in lines[1]
