"""The moderation board: weighted totals, each assessor's scores, spread and outliers, ranked.

The arithmetic is pure functions (tested against hand-computed cases); `moderation_board` loads a
challenge's scores in a fixed number of queries and applies them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from challenges.models import ChallengePage, Criterion

from ..models import Application, Assignment, Decision, Moderation, Score
from .assessment import CRITERION_STAGE, Stage

ONE_PLACE = Decimal("0.1")

# Applications that belong on each stage's board: everything submitted, or everything that reached interview.
BOARD_STATUSES = {
    Stage.APPLICATION: Q(
        status__in=[
            Application.Status.SUBMITTED,
            Application.Status.SHORTLISTED,
            Application.Status.INTERVIEW,
            Application.Status.SELECTED,
            Application.Status.UNSUCCESSFUL,
        ]
    ),
    Stage.INTERVIEW: Q(
        status__in=[Application.Status.SHORTLISTED, Application.Status.INTERVIEW, Application.Status.SELECTED]
    )
    | Q(decisions__point=Decision.Point.SELECTION),
}


def shown(value: Decimal) -> Decimal:
    """A percentage as the board shows it: to one decimal place, halves up. Only for showing: the mean and spread
    are computed from the unrounded totals."""
    return value.quantize(ONE_PLACE, ROUND_HALF_UP)


def weighted_score(values: dict[int, int], criteria: list[Criterion]) -> Decimal:
    """One assessor's scores as a percentage, unrounded: each score as a fraction of its scale, weighted by the
    criterion. Criteria the assessor did not score (added to the round afterwards) count for nothing either way.
    """
    scored = [c for c in criteria if c.pk in values and c.scale_max]
    total_weight = sum(c.weight for c in scored)
    if not total_weight:
        return Decimal(0)
    points = sum((Decimal(values[c.pk]) / c.scale_max * c.weight for c in scored), Decimal(0))
    return points / total_weight * 100


def weighted_total(values: dict[int, int], criteria: list[Criterion]) -> Decimal:
    """The weighted score as shown (one decimal place)."""
    return shown(weighted_score(values, criteria))


def outliers(scores: dict[int, dict[int, int]], threshold: int) -> set[tuple[int, int]]:
    """(assessor, criterion) pairs whose score differs from the other assessors' average by more than `threshold`.

    `scores` maps assessor id → {criterion id: value}. With one assessor there is nothing to compare.
    """
    flagged = set()
    criteria = {criterion for values in scores.values() for criterion in values}
    for criterion in criteria:
        given = {assessor: values[criterion] for assessor, values in scores.items() if criterion in values}
        for assessor, value in given.items():
            others = [v for a, v in given.items() if a != assessor]
            # |value - mean(others)| > threshold, in whole numbers (exact, and without statistics.mean's fractions)
            if others and abs(value * len(others) - sum(others)) > threshold * len(others):
                flagged.add((assessor, criterion))
    return flagged


@dataclass
class AssessorResult:
    assignment: Assignment
    score: Decimal  # the weighted score, unrounded: what the mean and spread are computed from
    scores: list[Score]
    outlier_criteria: set[int] = field(default_factory=set)

    @property
    def total(self) -> Decimal:
        return shown(self.score)


@dataclass
class BoardRow:
    application: Application
    results: list[AssessorResult]
    assigned: int
    moderation: Moderation | None
    rank: int = 0

    @property
    def exact_mean(self) -> Decimal | None:
        """The assessors' average of their unrounded scores: what the board ranks by."""
        if not self.results:
            return None
        return sum((r.score for r in self.results), Decimal(0)) / len(self.results)

    @property
    def mean(self) -> Decimal | None:
        """The average as shown (one decimal place), of the unrounded scores, not of the rounded totals."""
        return None if self.exact_mean is None else shown(self.exact_mean)

    @property
    def spread(self) -> Decimal | None:
        if not self.results:
            return None
        scores = [r.score for r in self.results]
        return shown(max(scores) - min(scores))

    @property
    def has_outlier(self) -> bool:
        return any(r.outlier_criteria for r in self.results)

    @property
    def ranking_score(self) -> Decimal | None:
        """The moderated score once there is one, the assessors' average before (unrounded, so two averages that
        show the same rank by what they really are)."""
        return self.moderation.score if self.moderation else self.exact_mean


def board_criteria(challenge: ChallengePage, stage: Stage) -> list[Criterion]:
    return list(challenge.round.criteria.filter(stage=CRITERION_STAGE[stage]).order_by("sort_order"))


def moderation_board(challenge: ChallengePage, stage: Stage) -> tuple[list[Criterion], list[BoardRow]]:
    """Every application on the stage's board, ranked by moderated score (else average), best first.

    Five flat queries (criteria, applications, their assignments at this stage, those assignments' scores, the
    moderations), grouped here: Django's nested prefetching cost more than the board's own arithmetic."""
    criteria = board_criteria(challenge, stage)
    applications = list(
        Application.objects.filter(BOARD_STATUSES[stage], challenge=challenge)
        .distinct()
        .select_related("organisation")
        .defer("answers", "challenge_questions")  # the board shows neither
        .order_by("reference")
    )
    ids = [application.pk for application in applications]
    assignments_of: dict[int, list[Assignment]] = defaultdict(list)
    assignments = Assignment.objects.filter(stage=stage, application_id__in=ids).select_related("assessor")
    for assignment in assignments.order_by("assessor__email", "pk"):
        assignments_of[assignment.application_id].append(assignment)
    by_pk = {criterion.pk: criterion for criterion in criteria}
    scores_of: dict[int, list[Score]] = defaultdict(list)
    scored = [a.pk for given in assignments_of.values() for a in given if a.submitted_at and not a.has_conflict]
    for score in Score.objects.filter(assignment_id__in=scored).order_by("criterion__sort_order", "pk"):
        if score.criterion_id in by_pk:  # the board's criteria, not a row each from the database
            score.criterion = by_pk[score.criterion_id]
        scores_of[score.assignment_id].append(score)
    moderation_of = {m.application_id: m for m in Moderation.objects.filter(stage=stage, application_id__in=ids)}
    rows = []
    for application in applications:
        assigned = assignments_of[application.pk]
        submitted = [a for a in assigned if a.submitted_at and not a.has_conflict]
        values = {a.assessor_id: {s.criterion_id: s.value for s in scores_of[a.pk]} for a in submitted}
        flagged = outliers(values, challenge.round.outlier_threshold)
        results = [
            AssessorResult(
                assignment=a,
                score=weighted_score(values[a.assessor_id], criteria),
                scores=scores_of[a.pk],
                outlier_criteria={c for (assessor, c) in flagged if assessor == a.assessor_id},
            )
            for a in submitted
        ]
        active = [a for a in assigned if not a.has_conflict]
        rows.append(BoardRow(application, results, assigned=len(active), moderation=moderation_of.get(application.pk)))
    rows.sort(key=lambda row: (row.ranking_score is None, -(row.ranking_score or 0), row.application.reference))
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return criteria, rows
