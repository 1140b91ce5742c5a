"""Celery: the beat schedule names real tasks, and a real worker delivers email from the outbox."""

import os
import re
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


def project_tasks() -> dict:
    celery_app.loader.import_default_modules()
    return {name: task for name, task in celery_app.tasks.items() if not name.startswith("celery.")}


def longest_retry_wait(task) -> int:
    """The longest countdown before a retry of `task`, as Celery's autoretry computes it (seconds)."""
    if not getattr(task, "autoretry_for", ()):
        return 0
    if not task.retry_backoff:
        return task.default_retry_delay
    # countdown = factor × 2^retries, capped; retries runs 0 … max_retries - 1 (jitter only shortens it)
    return min(task.retry_backoff_max, int(task.retry_backoff) * 2 ** (task.max_retries - 1))


def test_every_task_finishes_within_the_visibility_timeout_its_retry_waits_included():
    """A worker holds a task, unacknowledged, through its retry countdown and its run; the broker hands a task held
    longer than the visibility timeout to another worker. So the two together must fit within it, for every task, or
    a live worker's task runs twice (and the timeout is what bounds a killed worker's delay: it cannot simply grow)."""
    timeout = celery_app.conf.broker_transport_options["visibility_timeout"]
    assert timeout == settings.CELERY_VISIBILITY_TIMEOUT
    tasks = project_tasks()
    assert "notifications.tasks.deliver_email" in tasks and "impact.run_export" in tasks
    for name, task in tasks.items():
        limit = task.time_limit or celery_app.conf.task_time_limit
        soft = task.soft_time_limit or celery_app.conf.task_soft_time_limit
        assert limit and soft and soft < limit, (name, soft, limit)
        held = longest_retry_wait(task) + limit
        assert held < timeout, f"{name} may be held {held}s, beyond the {timeout}s visibility timeout"
    assert longest_retry_wait(tasks["notifications.tasks.deliver_email"]) == 64
    assert longest_retry_wait(tasks["discovery.tasks.index_document"]) == 180


def test_no_task_is_given_a_countdown_the_check_above_cannot_see():
    """Only autoretry's waits are counted above: a countdown, eta or retry call in our code would be held unseen."""
    apps = [ROOT / app for app in settings.INSTALLED_APPS if "." not in app and (ROOT / app).is_dir()]
    assert len(apps) >= 10
    pattern = re.compile(r"\b(countdown|eta)\s*=|\.retry\(")
    found = [f"{path}:{n}" for app in apps for path in app.rglob("*.py") if "migrations" not in path.parts
             for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]  # fmt: skip
    assert not found, found


def test_the_outbox_backstop_redelivers_email_before_the_broker_would():
    """Beat's redeliver_pending picks up an email whose task was lost (or is held by a dead worker) at most its grace
    plus its interval after the email was written: no later than the broker restores a dead worker's task."""
    from notifications.services import REDELIVER_AFTER_SECONDS

    entry = settings.CELERY_BEAT_SCHEDULE["notifications-redeliver-pending-email"]
    assert entry["task"] == "notifications.tasks.redeliver_pending"
    schedule = entry["schedule"]
    assert schedule.hour == set(range(24)) and schedule.day_of_week == set(range(7))
    minutes = sorted(schedule.minute)
    interval = 60 * max(b - a for a, b in zip(minutes, minutes[1:] + [minutes[0] + 60], strict=True))
    broker = settings.CELERY_VISIBILITY_TIMEOUT + settings.CELERY_UNACKED_RESTORE_INTERVAL
    assert REDELIVER_AFTER_SECONDS + interval <= broker, (REDELIVER_AFTER_SECONDS, interval, broker)
    assert (REDELIVER_AFTER_SECONDS, interval) == (120, 60)


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
