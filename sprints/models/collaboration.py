from django.conf import settings
from django.db import models

from .engagements import Engagement


class Message(models.Model):
    """One message in an engagement's thread, seen by the team, the sponsor and programme staff."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["posted_at"]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.engagement_id}"


class MessagePreference(models.Model):
    """How a person hears about new workspace messages: at once, or in one email a day."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "Email me about each message"
        DAILY = "daily", "Email me a daily digest"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preference")
    frequency = models.CharField(max_length=9, choices=Frequency.choices, default=Frequency.IMMEDIATE)

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"


class MessageNotice(models.Model):
    """One row per person told about one message (at once or in a digest): the key makes it exactly once."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="unique_message_notice")]

    def __str__(self) -> str:
        return f"{self.user} told of message {self.message_id}"


class Meeting(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class ReminderDelivery(models.Model):
    """One row per reminder sent to one person about one object: the unique key makes each reminder once."""

    class Kind(models.TextChoices):
        UPDATE_DUE = "update_due", "Sprint update due"
        FEEDBACK_AWAITING = "feedback", "Feedback awaiting the sponsor"
        MILESTONE_DUE = "milestone", "Milestone due"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(help_text="The sprint, deliverable version or milestone.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "user"], name="unique_reminder")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} → {self.user}"
