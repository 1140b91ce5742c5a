from django.conf import settings
from django.db import models

from .deliverables import Document
from .engagements import Engagement


class Pitch(models.Model):
    """An exploration team's accelerator pitch: a summary and a deck, scored on the round's pitch criteria."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="pitch")
    summary = models.TextField()
    deck = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now=True)
    # Set by pitch_decide: None until the decision, then whether the team goes to the accelerator.
    progressed = models.BooleanField(null=True, blank=True)
    decision_feedback = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "pitches"

    def __str__(self) -> str:
        return f"Pitch from {self.engagement.application.organisation}"


class PitchScore(models.Model):
    """One scorer's score on one pitch criterion (sponsor members and programme staff score)."""

    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey("challenges.Criterion", on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    scored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pitch", "scorer", "criterion"], name="one_pitch_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
