from django.conf import settings
from django.db import models


class AlertSubscription(models.Model):
    """Someone (with or without an account) following sectors or keywords for new challenges.

    An address without an account must confirm by email first (double opt-in). Unsubscribing uses a
    signed link in every alert, so it needs no sign-in.
    """

    email = models.EmailField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="alert_subscriptions"
    )
    sectors = models.ManyToManyField("challenges.Sector", blank=True, related_name="+")
    keywords = models.CharField(max_length=200, blank=True, help_text="Words to look for, separated by commas.")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    def keyword_list(self) -> list[str]:
        return [word.strip().lower() for word in self.keywords.split(",") if word.strip()]


class AlertDelivery(models.Model):
    """A challenge announced to a subscription: the unique key makes "one email per challenge" hold."""

    subscription = models.ForeignKey(AlertSubscription, on_delete=models.CASCADE, related_name="deliveries")
    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    email = models.ForeignKey("notifications.OutboundEmail", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "challenge"], name="unique_alert_delivery")]

    def __str__(self) -> str:
        return f"{self.challenge_id} → {self.subscription}"
