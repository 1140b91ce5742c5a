"""A worker killed mid-task: the task runs again, once, within a bounded time — counted at a real mail server.

The task is the real outbound-email task, run by real Celery workers against our own redis-server and the test
database, sending over SMTP to a small server here that counts what it accepts. That server holds the first delivery
after MAIL FROM (nothing handed over yet): the worker is then mid-task, holding the email's row lock and, with late
acknowledgement, the task itself in kombu's `unacked` hash. The test kills it there with SIGKILL and counts.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis as redis_client
from django.db import connection

from impact.exports import export_request, run_export
from impact.models import Benefit, Export
from notifications.models import OutboundEmail
from notifications.services import email_enqueue
from tests.conftest import celery_publishing_to
from tests.factories import staff_user

from .conftest import ROOT, database_url, free_port, need_postgresql
from .test_faults import wait_until_drained

VISIBILITY_TIMEOUT = 6  # seconds; production's is CELERY_VISIBILITY_TIMEOUT (300)
RESTORE_INTERVAL = 1  # seconds between sweeps of `unacked`; production's is CELERY_UNACKED_RESTORE_INTERVAL (10)
SLACK = 4  # seconds for the restored task to be taken and run, and for this test to see it, on a loaded machine
TIMING = {
    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    "CELERY_UNACKED_RESTORE_INTERVAL": str(RESTORE_INTERVAL),
}


class MailServer:
    """SMTP on loopback that keeps every message it accepts (a 250 after DATA) and, if asked, holds the first delivery
    after MAIL FROM: no answer until the sender goes away."""

    def __init__(self, *, hold_first: bool):
        self.port = free_port()
        self.accepted: list[bytes] = []
        self.holding = threading.Event()  # set when the first delivery has reached MAIL FROM and is being held
        self._hold = hold_first
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", self.port))
        self._listener.listen(8)
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as lines:

            def say(reply: str) -> None:
                conn.sendall(reply.encode() + b"\r\n")

            say("220 127.0.0.1 ready")
            while line := lines.readline():
                command = line[:4].upper()
                if command in (b"EHLO", b"HELO"):
                    say("250 127.0.0.1")
                elif command == b"MAIL":
                    with self._lock:
                        hold, self._hold = self._hold, False
                    if hold:
                        self.holding.set()
                        while lines.readline():  # until the sender's process is gone and the kernel closes its end
                            pass
                        return
                    say("250 OK")
                elif command == b"RCPT":
                    say("250 OK")
                elif command == b"DATA":
                    say("354 End data with <CR><LF>.<CR><LF>")
                    message = b"".join(iter(lines.readline, b".\r\n"))
                    with self._lock:
                        self.accepted.append(message)
                    say("250 OK: queued")
                elif command == b"QUIT":
                    say("221 Bye")
                    return
                else:  # RSET, NOOP
                    say("250 OK")


def start_worker(broker_url: str, queue: str, mail: MailServer, log: Path, *, pool: str, **env) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civtech.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"smtp://127.0.0.1:{mail.port}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        **env,
    }
    # Output to a file, not a pipe nobody reads (a full pipe would block the worker mid-task).
    with open(log, "a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "civtech", "worker", f"--pool={pool}", "--concurrency=1", "-Q",
             queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_for(event: threading.Event, worker: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not event.wait(0.1):
        assert worker.poll() is None, f"the worker exited: {log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"the worker did not start delivering within {seconds}s: {log.read_text()}"


def wait_until_sent(row: OutboundEmail, seconds: float) -> float:
    """Seconds until the row is sent; fails after `seconds`."""
    started = time.monotonic()
    while True:
        row.refresh_from_db()
        if row.status == OutboundEmail.Status.SENT:
            return time.monotonic() - started
        assert time.monotonic() - started < seconds, f"not sent within {seconds:.0f}s (status {row.status})"
        time.sleep(0.1)


def enqueue_email() -> OutboundEmail:
    return email_enqueue(
        to="killed-worker@example.com",
        template="organisations/email/invitation",
        context={"invitation": None, "inviter": "The killed-worker test", "accept_url": "https://example.com/"},
    )


def held_task(broker: redis_client.Redis, queue: str) -> float:
    """When the one task was taken (its score in kombu's `unacked_index`), asserting it is held and not queued."""
    assert broker.llen(queue) == 0, "the task should be held by the worker, not waiting in the queue"
    held = broker.zrange("unacked_index", 0, -1, withscores=True)
    assert len(held) == 1 and broker.hlen("unacked") == 1, held
    return held[0][1]


def assert_delivered_once(row: OutboundEmail, mail: MailServer) -> None:
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    # The killed attempt's transaction died with its connection: it left no count and no error on the row.
    assert (row.attempts, row.last_error) == (1, "")
    assert len(mail.accepted) == 1, f"{len(mail.accepted)} messages reached the mail server"
    assert b"killed-worker@example.com" in mail.accepted[0]
    assert b"The killed-worker test invited you" in mail.accepted[0]


@pytest.fixture
def broker(own_redis):
    """Our own Redis (a short visibility timeout on the shared one would restore other tests' tasks) and queue."""
    queue = f"killed-{uuid.uuid4().hex[:8]}"
    with celery_publishing_to(own_redis.url, queue):
        yield own_redis.url, queue


class Replacement:
    """Kill `first` (holding the one task on `queue`) with SIGKILL, start a new worker, and wait until `done()`; when
    the first took the task, when it was killed, when the new one was ready and when the task's work was done."""

    def __init__(self, first, broker_url: str, queue: str, mail: MailServer, log: Path, done, after_kill=None):
        redis = redis_client.Redis.from_url(broker_url)
        self.taken_at = held_task(redis, queue)
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
        self.killed_at = time.time()
        assert held_task(redis, queue) == self.taken_at  # nothing told the broker
        if after_kill:
            after_kill()
        self.worker = start_worker(broker_url, queue, mail, log, pool="solo", **TIMING)
        try:
            self._wait(broker_url, queue, log, done)
        except BaseException:
            stop(self.worker)
            raise

    def _wait(self, broker_url: str, queue: str, log: Path, done) -> None:
        # Until done, noting when the new worker says it is ready (it sweeps `unacked` as it starts, then every second).
        self.ready_at = None
        while not done():
            assert self.worker.poll() is None, f"the new worker exited: {log.read_text()[-3000:]}"
            assert time.time() - self.killed_at < 60, f"not done within 60s of the kill: {log.read_text()[-3000:]}"
            if self.ready_at is None and " ready." in log.read_text():
                self.ready_at = time.time()
            time.sleep(0.1)
        self.done_at = time.time()
        wait_until_drained(broker_url, queue)  # every copy of the task has run and been acknowledged
        ready = (self.ready_at or self.done_at) - self.killed_at
        print(f"\ndone {self.done_at - self.killed_at:.1f}s after the kill, {self.done_at - self.taken_at:.1f}s after "
              f"the first worker took the task; the new worker was ready {ready:.1f}s after the kill")  # fmt: skip

    def assert_within_the_timeout(self) -> None:
        assert self.killed_at - self.taken_at < VISIBILITY_TIMEOUT, "the kill came after the timeout: nothing tested"
        # Not before the timeout (the broker cannot tell a dead worker from a slow one), and at most one sweep after
        # it, or after the new worker started if that was later: what docs/operations.md promises, in production's
        # numbers.
        assert self.done_at - self.taken_at >= VISIBILITY_TIMEOUT
        due = max(self.taken_at + VISIBILITY_TIMEOUT, self.ready_at or self.done_at)
        assert self.done_at - due <= RESTORE_INTERVAL + SLACK, f"done {self.done_at - due:.1f}s after it was due"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_held_by_a_killed_worker_runs_again_once_within_the_visibility_timeout(broker, tmp_path):
    """The whole worker SIGKILLed (a container killed, a host lost): nothing tells the broker, so the task waits in
    `unacked` until it has been held CELERY_VISIBILITY_TIMEOUT seconds and a live worker's sweep puts it back."""
    need_postgresql()
    broker_url, queue = broker
    mail = MailServer(hold_first=True)
    first = start_worker(broker_url, queue, mail, tmp_path / "first.log", pool="solo", **TIMING)
    replacement = None
    try:
        row = enqueue_email()
        wait_for(mail.holding, first, tmp_path / "first.log", seconds=60)

        def sent() -> bool:
            row.refresh_from_db()
            return row.status == OutboundEmail.Status.SENT

        replacement = Replacement(first, broker_url, queue, mail, tmp_path / "second.log", sent)
    finally:
        stop(first)
        if replacement:
            stop(replacement.worker)
        mail.close()

    assert_delivered_once(row, mail)
    replacement.assert_within_the_timeout()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_whose_worker_was_killed_mid_build_is_built_by_the_next(broker, tmp_path):
    """The export is marked as being built before it is built: the redelivered task must build it all the same, not
    take the mark for another worker's build in progress (the export would be 'Being built' for ever)."""
    need_postgresql()
    broker_url, queue = broker
    mail = MailServer(hold_first=False)
    first = start_worker(broker_url, queue, mail, tmp_path / "first.log", pool="solo", **TIMING)
    replacement = None
    holder = connection.copy()  # holds a table the figures read, so the first build stops there
    try:
        with holder.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f"LOCK TABLE {Benefit._meta.db_table} IN ACCESS EXCLUSIVE MODE")
            export = export_request(kind=Export.Kind.FIGURES_CSV, params={}, by=staff_user())
            wait_until_waiting_on_the_lock(export, first, tmp_path / "first.log")

            def built() -> bool:
                export.refresh_from_db()
                return export.status == Export.Status.DONE

            release = lambda: cursor.execute("ROLLBACK")  # noqa: E731
            replacement = Replacement(first, broker_url, queue, mail, tmp_path / "second.log", built, release)
    finally:
        holder.close()
        stop(first)
        if replacement:
            stop(replacement.worker)
        mail.close()

    assert (export.progress, export.error) == (100, "")
    assert export.file.read().decode("utf-8-sig").startswith("Headline figures")
    assert Export.objects.count() == 1
    replacement.assert_within_the_timeout()


def wait_until_waiting_on_the_lock(export: Export, worker: subprocess.Popen, log: Path) -> None:
    """Until the export is marked as being built and its build waits on the locked table."""
    deadline = time.monotonic() + 60
    while True:
        export.refresh_from_db()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                " AND query LIKE %s",
                [f"%{Benefit._meta.db_table}%"],
            )
            waiting = cursor.fetchone()[0]
        if export.status == Export.Status.RUNNING and waiting == 1:
            return
        assert worker.poll() is None, f"the worker exited: {log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"the build did not reach the locked table within 60s: {log.read_text()}"
        time.sleep(0.1)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_whose_pool_process_is_killed_is_requeued_within_seconds(broker, tmp_path):
    """Only the pool process running the task is SIGKILLed (the kernel's OOM killer, a crash in a C library): the
    worker notices (billiard takes up to about 5 s) and requeues the task (CELERY_TASK_REJECT_ON_WORKER_LOST), without
    waiting for the visibility timeout, which stays at production's 300 s here."""
    need_postgresql()
    broker_url, queue = broker
    redis = redis_client.Redis.from_url(broker_url)
    mail = MailServer(hold_first=True)
    log = tmp_path / "worker.log"
    worker = start_worker(broker_url, queue, mail, log, pool="prefork")
    try:
        row = enqueue_email()
        wait_for(mail.holding, worker, log, seconds=60)
        held_task(redis, queue)
        (child,) = children(worker.pid)

        os.kill(child, signal.SIGKILL)
        after_kill = wait_until_sent(row, seconds=30)
        wait_until_drained(broker_url, queue)
        print(f"\nsent {after_kill:.1f}s after the pool process was killed")
        assert worker.poll() is None, "the worker itself should have survived"
    finally:
        stop(worker)
        mail.close()

    assert_delivered_once(row, mail)
    assert "WorkerLostError" in log.read_text()


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.django_db
@pytest.mark.parametrize("redelivered", [False, True])
def test_an_export_being_built_is_built_again_only_by_a_redelivery(redelivered):
    """Another delivery of the task (the beat job's, say) leaves a build in progress alone; only the broker's
    redelivery — the worker building it is gone — builds it again."""
    export = Export.objects.create(kind=Export.Kind.FIGURES_CSV, requested_by=staff_user())
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, progress=40)
    run_export.push_request(delivery_info={"redelivered": redelivered, "exchange": "", "routing_key": "celery"})
    try:
        result = run_export.run(export.pk)
    finally:
        run_export.pop_request()

    export.refresh_from_db()
    if redelivered:
        assert (result, export.status, export.progress) == ("done", Export.Status.DONE, 100)
    else:
        assert (result, export.status, export.progress) == ("running", Export.Status.RUNNING, 40)
