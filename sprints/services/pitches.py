"""The end of exploration: each team pitches, sponsor and staff score, staff decide who goes to the accelerator."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from challenges.models import ChallengePage, Criterion
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission

from ..models import Engagement, Pitch, PitchScore
from ._common import notify, team_members, transition, workspace_url
from .deliverables import document_store
from .engagements import ENGAGEMENT_TRANSITIONS, engagement_create


def pitch_criteria(engagement: Engagement) -> list[Criterion]:
    return list(engagement.challenge.round.criteria.filter(stage=Criterion.Stage.PITCH).order_by("sort_order"))


@transaction.atomic
def pitch_submit(*, engagement: Engagement, by: User, summary: str, deck=None) -> Pitch:
    """Submit (or replace, until the decision) the team's accelerator pitch."""
    require(has_permission("engagement.report", by, engagement))
    if engagement.stage != Engagement.Stage.EXPLORATION:
        raise DomainError("Pitches come at the end of the exploration stage.")
    if not summary.strip():
        raise DomainError("Summarise your pitch.", field="summary")
    pitch = Pitch.objects.select_for_update().filter(engagement=engagement).first()
    if pitch is not None and pitch.progressed is not None:
        raise DomainError("The pitches for this challenge have been decided.")
    if pitch is None and deck is None:
        raise DomainError("Upload your pitch deck.", field="deck")
    document = document_store(engagement=engagement, by=by, upload=deck, field="deck") if deck is not None else None
    if pitch is None:
        pitch = Pitch(engagement=engagement)
    pitch.summary, pitch.submitted_by = summary.strip(), by
    if document is not None:
        pitch.deck = document
    pitch.save()
    audit(engagement, "civtech.engagement.pitch_submit", by=by, data={"deck": pitch.deck.name if pitch.deck else ""})
    return pitch


@transaction.atomic
def pitch_score(*, pitch: Pitch, by: User, scores: dict[int, tuple[int, str]]) -> list[PitchScore]:
    """Score every pitch criterion of the round at once, within its scale, once per scorer."""
    pitch = (
        Pitch.objects.select_for_update().select_related("engagement__application__challenge__round").get(pk=pitch.pk)
    )
    require(has_permission("pitch.score", by, pitch))
    criteria = pitch_criteria(pitch.engagement)
    if not criteria:
        raise DomainError("The round has no pitch criteria yet: the CivTech team must add them first.")
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise DomainError("Score every criterion: " + ", ".join(missing) + ".")
    for criterion in criteria:
        if not 0 <= scores[criterion.pk][0] <= criterion.scale_max:
            raise DomainError(f"Scores for “{criterion.name}” go from 0 to {criterion.scale_max}.")
    rows = PitchScore.objects.bulk_create(
        PitchScore(pitch=pitch, scorer=by, criterion=c, value=scores[c.pk][0], comment=scores[c.pk][1].strip())
        for c in criteria
    )
    audit(
        pitch.engagement,
        "civtech.engagement.pitch_score",
        by=by,
        data={"scorer": by.email, "scores": {c.name: scores[c.pk][0] for c in criteria}},
    )
    return rows


@transaction.atomic
def pitch_decide(
    *, challenge: ChallengePage, chosen: list[Engagement], feedback: dict[int, str], by: User
) -> list[Engagement]:
    """Take the chosen team(s) into the accelerator and close exploration for every team, with feedback.

    How many go on is the round's `accelerator_teams`. Returns the new accelerator engagements.
    """
    explorers = list(
        Engagement.objects.select_for_update(of=("self",))
        .filter(application__challenge=challenge, stage=Engagement.Stage.EXPLORATION, status=Engagement.Status.ACTIVE)
        .select_related("application__challenge__round", "application__organisation")
    )
    if not explorers:
        raise DomainError("No team is exploring this challenge.")
    require(has_permission("engagement.manage", by, explorers[0]))
    chosen_ids = {e.pk for e in chosen}
    if not chosen_ids <= {e.pk for e in explorers}:
        raise DomainError("Choose from the teams exploring this challenge.")
    limit = challenge.round.accelerator_teams
    if len(chosen_ids) > limit:
        raise DomainError(f"This round takes {limit} team(s) per challenge into the accelerator.")
    pitches = {p.engagement_id: p for p in Pitch.objects.filter(engagement__in=explorers)}
    if chosen_ids - set(pitches):
        raise DomainError("A team that has not pitched cannot go to the accelerator.")
    unexplained = [
        str(e.organisation) for e in explorers if e.pk not in chosen_ids and not feedback.get(e.pk, "").strip()
    ]
    if unexplained:
        raise DomainError("Give feedback to every team not taken forward: " + ", ".join(unexplained) + ".")
    unstorable = [str(e.organisation) for e in explorers if "\x00" in feedback.get(e.pk, "")]
    if unstorable:  # the database cannot store a null character
        raise DomainError("Remove the null characters from the feedback for " + ", ".join(unstorable) + ".")
    now = timezone.now()
    for engagement in explorers:
        progressed = engagement.pk in chosen_ids
        pitch = pitches.get(engagement.pk)
        if pitch is not None:
            pitch.progressed, pitch.decision_feedback, pitch.decided_at = (
                progressed,
                feedback.get(engagement.pk, ""),
                now,
            )
            pitch.save(update_fields=["progressed", "decision_feedback", "decided_at"])
        before = transition(engagement, Engagement.Status.COMPLETED, ENGAGEMENT_TRANSITIONS)
        engagement.save(update_fields=["status"])
        audit(
            engagement,
            "civtech.engagement.pitch_decide",
            by=by,
            data={"before": before, "after": engagement.status, "progressed": progressed},
        )
        verdict = "goes on to the accelerator" if progressed else "does not go on to the accelerator"
        body = f"{engagement.organisation} {verdict} for “{challenge.title}”."
        if feedback.get(engagement.pk, "").strip():
            body += f"\n\nFeedback on your pitch:\n{feedback[engagement.pk].strip()}"
        notify(team_members(engagement), subject=f"Accelerator decision: {challenge.title}", body=body,
               url=workspace_url(engagement))  # fmt: skip
    return [
        engagement_create(application=e.application, stage=Engagement.Stage.ACCELERATOR, by=by)
        for e in explorers
        if e.pk in chosen_ids
    ]
