from django.conf import settings
from django.db import models


class Clarification(models.Model):
    """A clarification question on an open challenge and its published answer.

    Answers are published to everyone (procurement fairness); who asked is kept for the record but
    never shown publicly.
    """

    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting an answer"
        PUBLISHED = "published", "Answered and published"
        DECLINED = "declined", "Not answered (duplicate or out of scope)"

    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField(max_length=2000)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING, db_index=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return self.question[:80]


class ChallengeFollow(models.Model):
    """Someone who wants email when a challenge's clarifications are published."""

    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["challenge", "user"], name="unique_challenge_follow")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.challenge_id}"


class ClarificationNotice(models.Model):
    """One row per person told about one published answer: the unique key makes "emailed once" hold."""

    clarification = models.ForeignKey(Clarification, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clarification", "user"], name="unique_clarification_notice")]

    def __str__(self) -> str:
        return f"{self.user} told of {self.clarification_id}"
