"""Celery: the beat schedule names real tasks, and a real worker delivers email from the outbox."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from civtech.celery import app as celery_app
from notifications.models import OutboundEmail
from notifications.services import email_enqueue
from tests.conftest import celery_publishing_to

ROOT = Path(__file__).resolve().parent.parent


def test_every_scheduled_job_is_a_registered_task():
    celery_app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks


def test_tasks_run_in_process_when_no_broker_is_configured():
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "civtech.settings.dev", "CELERY_BROKER_URL": ""}
    code = "import django; django.setup(); from civtech.celery import app; print(app.conf.task_always_eager)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("True")


def _need_real_services():
    broker = os.environ.get("CELERY_BROKER_URL")
    reason = None
    if not broker:
        reason = "set CELERY_BROKER_URL (Redis) to run the real-worker test"
    elif connection.vendor != "postgresql":
        reason = "a worker process must share the test database: set DATABASE_URL to PostgreSQL"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the real-worker test: {reason}")
        pytest.skip(reason)
    return broker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_delivers_queued_email_exactly_once(tmp_path):
    broker = _need_real_services()
    db = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"  # our own queue, so no other worker takes the job
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civtech.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "civtech", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        with celery_publishing_to(broker, queue):
            row = email_enqueue(
                to="worker@example.com",
                template="organisations/email/invitation",
                context={"invitation": None, "inviter": "The worker test", "accept_url": "https://example.com/"},
            )
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                row.refresh_from_db()
                if row.status == OutboundEmail.Status.SENT:
                    break
                assert worker.poll() is None, worker.stdout.read()
                time.sleep(0.25)
            assert row.status == OutboundEmail.Status.SENT, "the worker did not deliver the email within 60s"
            sent = [p.read_text() for p in tmp_path.iterdir()]
            assert len(sent) == 1
            assert "The worker test invited you" in sent[0]
    finally:
        worker.terminate()
        worker.wait(timeout=20)
