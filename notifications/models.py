from django.db import models


class OutboundEmail(models.Model):
    """An email written in the same transaction as the change it reports (a transactional outbox).

    The row is the promise to send: a Celery task delivers it after commit, and a beat job re-enqueues
    anything still pending, so a broker outage delays an email but never loses it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    from_email = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outbound email"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.get_status_display()})"
