import logging
from datetime import timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# The delivery task, enqueued by name: the task calls these services, so importing it here would be a circle.
DELIVER_EMAIL = "notifications.tasks.deliver_email"


def email_enqueue_message(*, message: EmailMessage) -> list[OutboundEmail]:
    """Store an already-rendered message (one row per recipient) and deliver it after commit."""
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (
                content
                for content, mimetype in message.alternatives
                if mimetype == "text/html" and isinstance(content, str)
            ),
            "",
        )
    rows = [
        OutboundEmail.objects.create(
            to=recipient,
            subject=str(message.subject),  # a lazy translation is stored as its text, as the field would
            body_text=str(message.body),
            body_html=html,
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        )
        for recipient in message.to
    ]
    for row in rows:
        transaction.on_commit(partial(_enqueue, row.pk))
    return rows


def email_enqueue(*, to: str, template: str, context: dict) -> OutboundEmail:
    """Render `<template>_subject.txt` and `<template>_message.txt` and queue the email."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_message.txt", context).strip()
    message = EmailMessage(subject=f"[{settings.SERVICE_NAME}] {subject}", body=body, to=[to])
    return email_enqueue_message(message=message)[0]


def _enqueue(pk: int) -> None:
    try:
        current_app.signature(DELIVER_EMAIL, args=(pk,)).delay()
    except Exception:
        logger.warning("Could not enqueue email %s; it will be redelivered", pk, exc_info=True)


def email_deliver(*, pk: int) -> OutboundEmail | None:
    """Send one pending email exactly once: the row lock stops two workers sending the same one.

    A failure is recorded on the row (committed) and then re-raised so Celery retries with backoff.
    """
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update().filter(pk=pk, status=OutboundEmail.Status.PENDING).first()
        if row is None:
            return None
        row.attempts += 1
        message = EmailMultiAlternatives(row.subject, row.body_text, row.from_email, [row.to])
        if row.body_html:
            message.attach_alternative(row.body_html, "text/html")
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - recorded, then re-raised below for the retry
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = OutboundEmail.Status.FAILED
            row.save(update_fields=["attempts", "last_error", "status"])
            failure = exc
        else:
            row.status = OutboundEmail.Status.SENT
            row.sent_at = timezone.now()
            row.save(update_fields=["attempts", "status", "sent_at"])
            return row
    raise failure


# Beat runs redeliver_pending every minute. An email's own task sends it within seconds (its retries against a failing
# mail server wait about two minutes in all), so one still pending after this long had its task lost: the enqueue
# failed (broker down), Redis restarted empty, or the worker holding it died. It is enqueued again at most three minutes
# after it was written: sooner than the broker restores a dead worker's task (CELERY_VISIBILITY_TIMEOUT, 5 minutes).
REDELIVER_AFTER_SECONDS = 120


def email_redeliver_pending(*, older_than_seconds: int = REDELIVER_AFTER_SECONDS) -> int:
    """Re-enqueue emails still pending after a while (the broker was down, or a worker died)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pks = list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:1000]
    )
    for pk in pks:
        _enqueue(pk)
    return len(pks)
