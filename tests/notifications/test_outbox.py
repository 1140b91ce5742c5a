"""Emails are written to an outbox in the same transaction and delivered by Celery exactly once."""

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import OutboundEmail
from notifications.services import email_deliver, email_enqueue, email_redeliver_pending
from tests.conftest import celery_publishing_to

pytestmark = pytest.mark.django_db


def queue_one():
    return email_enqueue(
        to="someone@example.com",
        template="organisations/email/invitation",
        context={"invitation": None, "inviter": "Fiona", "accept_url": "https://example.com/x"},
    )


def test_email_is_sent_only_after_the_transaction_commits(on_commit):
    with on_commit():
        row = queue_one()
        assert mail.outbox == []  # nothing leaves before commit
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[CivTech] Fiona invited you")


def test_email_written_in_a_rolled_back_transaction_is_never_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue_one()
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()


def test_delivering_twice_sends_once(on_commit):
    row = queue_one()
    assert email_deliver(pk=row.pk) is not None
    assert email_deliver(pk=row.pk) is None
    assert len(mail.outbox) == 1


def test_broker_down_keeps_the_email_and_redelivery_sends_it(on_commit, settings):
    """A real (unreachable) broker: enqueueing fails, the row waits, redelivery sends it once."""
    with celery_publishing_to("redis://127.0.0.1:1/0"), on_commit():  # nothing listens on port 1
        row = queue_one()
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.PENDING
    assert mail.outbox == []

    assert email_redeliver_pending(older_than_seconds=0) == 1
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert email_redeliver_pending(older_than_seconds=0) == 0


def test_a_failing_mail_server_is_recorded_and_retried(on_commit, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with on_commit():
        row = queue_one()
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.PENDING
    assert row.attempts >= 1
    assert "ConnectionRefusedError" in row.last_error
