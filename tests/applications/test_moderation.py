"""Moderation: weighted totals, spread and outliers against hand-computed cases; the moderated score."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from accounts.roles import Role
from applications.forms.admin import ModerationForm
from applications.services.decisions import moderation_record
from applications.services.moderation import (
    AssessorResult,
    BoardRow,
    moderation_board,
    outliers,
    weighted_score,
    weighted_total,
)
from challenges.models import Criterion
from civtech.errors import DomainError
from tests.applications.evaluation import closed_challenge_with, score
from tests.factories import UserFactory, make_application, make_challenge, staff_user

pytestmark = pytest.mark.django_db


def criterion(pk, weight, scale_max=5):
    return Criterion(pk=pk, weight=weight, scale_max=scale_max, name=f"c{pk}")


DEFAULT = [criterion(1, 40), criterion(2, 20), criterion(3, 20), criterion(4, 20)]


@pytest.mark.parametrize(
    ("values", "criteria", "expected"),
    [
        ({1: 5, 2: 4, 3: 3, 4: 2}, DEFAULT, "76.0"),  # 40 + 16 + 12 + 8
        ({1: 3, 2: 3, 3: 3, 4: 3}, DEFAULT, "60.0"),
        ({1: 0, 2: 0, 3: 0, 4: 0}, DEFAULT, "0.0"),
        ({1: 5, 2: 5, 3: 5, 4: 5}, DEFAULT, "100.0"),
        ({1: 7, 2: 2}, [criterion(1, 50, 10), criterion(2, 50, 5)], "55.0"),  # 35 + 20, mixed scales
        ({1: 1, 2: 1, 3: 2}, [criterion(1, 1, 3), criterion(2, 1, 3), criterion(3, 1, 3)], "44.4"),  # 4/9 rounded
        ({1: 4}, [criterion(1, 40), criterion(2, 60)], "80.0"),  # a criterion added after scoring counts for nothing
    ],
)
def test_weighted_total(values, criteria, expected):
    assert weighted_total(values, criteria) == Decimal(expected)


def test_the_mean_and_spread_are_of_unrounded_scores():
    """Two assessors score 1/9 and 5/9 (11.111…% and 55.555…%, shown 11.1 and 55.6). The mean is 33.333…, shown
    33.3; averaging the shown totals gave 33.35, shown 33.4. The spread is 44.444…, shown 44.4, not 55.6 − 11.1."""
    thirds = [criterion(1, 1, 3), criterion(2, 1, 3), criterion(3, 1, 3)]
    low, high = weighted_score({1: 1, 2: 0, 3: 0}, thirds), weighted_score({1: 2, 2: 2, 3: 1}, thirds)
    assert abs(low - Decimal(100) / 9) < Decimal("1e-20") and abs(high - Decimal(500) / 9) < Decimal("1e-20")
    row = BoardRow(None, [AssessorResult(None, low, []), AssessorResult(None, high, [])], assigned=2, moderation=None)
    assert [r.total for r in row.results] == [Decimal("11.1"), Decimal("55.6")]
    assert row.exact_mean == (low + high) / 2
    assert (row.mean, row.spread) == (Decimal("33.3"), Decimal("44.4"))
    # ranked by the unrounded average: 33.34 shows as 33.3 too, and comes first
    close = BoardRow(None, [AssessorResult(None, Decimal("33.34"), [])], assigned=1, moderation=None)
    assert close.mean == row.mean and close.ranking_score > row.ranking_score


@pytest.mark.parametrize(
    ("scores", "threshold", "expected"),
    [
        ({"a": {1: 4}, "b": {1: 4}, "c": {1: 1}}, 2, {("c", 1)}),  # 1 vs 4: 3 > 2; 4 vs 2.5: 1.5
        ({"a": {1: 1}, "b": {1: 5}}, 2, {("a", 1), ("b", 1)}),  # two apart by 4: both flagged
        ({"a": {1: 3}, "b": {1: 5}}, 2, set()),  # exactly the threshold is not "more than"
        ({"a": {1: 3}, "b": {1: 5}}, 1, {("a", 1), ("b", 1)}),  # configurable
        ({"a": {1: 5, 2: 0}}, 0, set()),  # one assessor: nothing to compare
        ({"a": {1: 2, 2: 5}, "b": {1: 2, 2: 1}, "c": {1: 3, 2: 5}}, 2, {("b", 2)}),  # per criterion
    ],
)
def test_outliers(scores, threshold, expected):
    assert outliers(scores, threshold) == expected


def test_board_ranks_by_average_until_moderated_and_shows_spread_and_outliers():
    staff = staff_user()
    challenge, (low, high, unscored) = closed_challenge_with(3)
    score(low, [3, 3, 3, 3], by_staff=staff)  # 60.0
    score(low, [5, 4, 3, 2], by_staff=staff)  # 76.0
    score(high, [5, 5, 5, 5], by_staff=staff)  # 100.0
    score(high, [5, 4, 4, 4], by_staff=staff)  # 88.0
    score(high, [1, 5, 5, 5], by_staff=staff)  # 68.0: 1 vs the others' 5 on the first criterion is an outlier

    criteria, rows = moderation_board(challenge, "application")
    assert next(c.name for c in criteria) == "How well the idea solves the challenge"
    assert [r.application for r in rows] == [high, low, unscored]
    top, second, last = rows
    assert (top.mean, top.spread, top.has_outlier) == (Decimal("85.3"), Decimal("32.0"), True)
    assert [r.total for r in top.results if r.outlier_criteria] == [Decimal("68.0")]
    assert (second.mean, second.spread, second.has_outlier) == (Decimal("68.0"), Decimal("16.0"), False)
    assert (last.mean, last.spread, last.assigned, last.rank) == (None, None, 0, 3)

    moderation_record(application=low, stage="application", score=Decimal("90"), rationale="Strong idea.", by=staff)
    _, rows = moderation_board(challenge, "application")
    assert [r.application for r in rows] == [low, high, unscored]
    assert rows[0].ranking_score == Decimal("90.0") and rows[0].mean == Decimal("68.0")


def test_a_conflicted_or_unsubmitted_assessor_does_not_count():
    staff = staff_user()
    challenge, (application,) = closed_challenge_with(1)
    score(application, [5, 5, 5, 5], by_staff=staff)
    from applications.services.assessment import assignment_create, assignment_declare

    pending = assignment_create(application=application, assessor=UserFactory(role=Role.ASSESSOR), by=staff)
    conflicted_user = UserFactory(role=Role.ASSESSOR)
    conflicted = assignment_create(application=application, assessor=conflicted_user, by=staff)
    assignment_declare(assignment=conflicted, by=conflicted_user, has_conflict=True, details="Former employer.")
    (row,) = moderation_board(challenge, "application")[1]
    assert row.mean == Decimal("100.0") and len(row.results) == 1
    assert row.assigned == 2  # the one who scored and the one still to score; the conflicted one is gone
    assert pending.submitted_at is None


@pytest.mark.parametrize("n", [1, 6])
def test_board_runs_a_constant_number_of_queries(django_assert_max_num_queries, n):
    staff = staff_user()
    challenge, applications = closed_challenge_with(n)
    for application in applications:
        score(application, [3, 3, 3, 3], by_staff=staff)
        score(application, [4, 2, 1, 5], by_staff=staff)
    with django_assert_max_num_queries(6):
        _, rows = moderation_board(challenge, "application")
        assert sum(len(r.results) for r in rows) == 2 * n


# --- Recording the moderated score ---------------------------------------------------------------------
@pytest.fixture
def scored():
    staff = staff_user()
    _challenge, (application,) = closed_challenge_with(1)
    score(application, [4, 4, 4, 4], by_staff=staff)
    return staff, application


def test_moderation_is_audited_with_before_and_after(scored):
    staff, application = scored
    moderation_record(application=application, stage="application", score=Decimal("70"), rationale="Agreed.", by=staff)
    moderation = moderation_record(
        application=application,
        stage="application",
        score=Decimal("75.25"),
        rationale="Revised.",
        feedback="Good.",
        by=staff,
    )
    assert moderation.score == Decimal("75.2") and moderation.feedback == "Good."
    entries = ModelLogEntry.objects.filter(action="civtech.assessment.moderate", object_id=str(application.pk))
    assert [e.data["before"] for e in entries.order_by("timestamp")] == [None, "70.0"]
    assert entries.order_by("timestamp").last().data["after"] == "75.2"


@pytest.mark.parametrize("bad", [None, "-1", "100.1", "nan", "Infinity", "1e400"])
def test_a_moderated_score_must_be_a_percentage(scored, bad):
    bad = None if bad is None else Decimal(bad)
    staff, application = scored
    with pytest.raises(DomainError, match="number from 0 to 100") as error:
        moderation_record(application=application, stage="application", score=bad, rationale="x", by=staff)
    assert error.value.field == "score"


@pytest.mark.parametrize(
    ("typed", "score"), [("72.5%", Decimal("72.5")), (" 60 ", Decimal("60")), ("abc", None), ("7,5", None)]
)
def test_the_moderation_form_reads_the_score_as_people_type_it(typed, score):
    form = ModerationForm({"score": typed, "rationale": "Agreed."})
    if score is None:
        assert not form.is_valid() and form.errors["score"] == ["Enter the moderated score as a number from 0 to 100."]
    else:
        assert form.is_valid() and form.cleaned_data["score"] == score


def test_the_service_takes_the_score_typed_never_text(scored):
    staff, application = scored
    with pytest.raises(TypeError, match="must be Decimal or int"):
        moderation_record(application=application, stage="application", score="60", rationale="x", by=staff)


def test_a_moderated_score_needs_a_rationale(scored):
    staff, application = scored
    with pytest.raises(DomainError, match="Explain the moderated score") as error:
        moderation_record(application=application, stage="application", score=Decimal("50"), rationale="  ", by=staff)
    assert error.value.field == "rationale"


def test_nothing_to_moderate_before_any_assessor_has_scored():
    _challenge, (application,) = closed_challenge_with(1)
    with pytest.raises(DomainError, match="No assessor has submitted scores"):
        moderation_record(
            application=application, stage="application", score=Decimal("50"), rationale="x", by=staff_user()
        )


@pytest.mark.parametrize("who", ["sponsor", "assessor", "applicant"])
def test_only_programme_staff_moderate(scored, who):
    _, application = scored
    people = {
        "sponsor": lambda: UserFactory(role=Role.SPONSOR),
        "assessor": lambda: UserFactory(role=Role.ASSESSOR),
        "applicant": lambda: application.created_by,
    }
    with pytest.raises(PermissionDenied, match="Only the CivTech team moderates"):
        moderation_record(
            application=application, stage="application", score=Decimal("50"), rationale="x", by=people[who]()
        )


def test_no_moderation_while_the_call_is_open():
    staff = staff_user()
    application = make_application(challenge=make_challenge())
    with pytest.raises(PermissionDenied, match="only after the call closes"):
        moderation_record(application=application, stage="application", score=Decimal("50"), rationale="x", by=staff)


def test_the_board_page_costs_the_same_queries_for_one_application_and_six(client):
    """The page around the board (its assign and decision forms, the candidates) as well as the board itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    staff = staff_user()
    client.force_login(staff)
    counts = []
    for n in (1, 6):
        challenge, applications = closed_challenge_with(n)
        for application in applications:
            score(application, [3, 3, 3, 3], by_staff=staff)
            score(application, [4, 2, 1, 5], by_staff=staff)
        url = reverse("evaluation:board", args=[challenge.pk])
        client.get(url)  # new public content and permissions: the page's shared parts are made again once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("Scores and moderation<span") == n  # a row per application
        counts.append(len(queries))
    assert counts[1] <= counts[0], counts
