"""The demo tells the truth about how the programme works (issue #18, item 7): assessors mostly agree and only a few
scores are flagged as outliers, most clarification questions have published answers (a couple still wait), the
demo applicant has an impact return to do, and there is news to read."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from applications.moderation import moderation_board
from challenges.models import ChallengePage, Clarification
from cms.models import NewsPage
from impact.models import ImpactReturn

pytestmark = pytest.mark.django_db

OUTLIER_SHARE_AT_MOST = 0.25  # "a few outliers, not most": moderation should be about the exceptions


def test_the_demo_looks_like_a_real_programme(client):
    call_command("seed_demo", "--quiet-credentials", stdout=StringIO())

    # Scores: a realistic spread, and only a few outliers.
    rows = [
        row
        for challenge in ChallengePage.objects.select_related("round")
        for stage in ("application", "interview")
        for row in moderation_board(challenge, stage)[1]
        if row.results
    ]
    flagged = [row for row in rows if row.has_outlier]
    assert len(rows) >= 40
    assert 0 < len(flagged) <= OUTLIER_SHARE_AT_MOST * len(rows), f"{len(flagged)} of {len(rows)} flagged"
    means = sorted(row.mean for row in rows)
    assert len(set(means)) >= 10, means
    assert means[-1] - means[0] >= 30, (means[0], means[-1])

    # Questions: most answered and published, a couple waiting for the sponsor.
    published = Clarification.objects.filter(status=Clarification.Status.PUBLISHED)
    waiting = Clarification.objects.filter(status=Clarification.Status.AWAITING)
    assert 2 <= waiting.count() < published.count()
    assert not published.filter(answer="").exists()
    assert not published.filter(answered_at__lt=F("asked_at")).exists()
    answered = published.select_related("challenge").first()
    page = client.get(answered.challenge.url).content.decode()
    assert answered.answer[:60] in page

    # The demo applicant has a return to do: its period has ended and it is not submitted yet.
    applicant = User.objects.get(email="applicant@thistle.example")
    today = timezone.localdate()
    due = ImpactReturn.objects.filter(
        organisation__memberships__user=applicant, period_end__lt=today, submitted_at__isnull=True
    )
    assert due.exists()
    client.force_login(applicant)
    returns_page = client.get("/returns/").content.decode()
    assert "To do" in returns_page or "Overdue" in returns_page
    client.logout()

    # News: stories on two pages, each naming only teams that really took part.
    assert NewsPage.objects.live().count() > 10
    listing = client.get("/news/").content.decode()
    assert 'class="ds_pagination"' in listing
    story = NewsPage.objects.get(slug="finding-climate-grants-case-study")
    teams = {o.name for o in story.related_organisations.all()}
    assert teams and all(name in story.summary + str(story.body.raw_data) for name in teams)
