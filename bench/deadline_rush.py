"""The last minute before a deadline: 50 applicants at once submitting 500+ applications through the real pages.

    .venv/bin/python bench/deadline_rush.py --applicants 520 --clients 50 --close-in 60

Starts, on loopback only: a fresh PostgreSQL database (`--database`, dropped afterwards unless `--keep`), our own
Redis on `--redis-port` (cache and Celery broker; never the shared one), gunicorn with the container's
configuration (`docker/gunicorn.conf.py`, production settings via `bench.settings_bench`) and a real Celery worker
that sends email with the file backend into a temporary folder.

Prepares one round and one published challenge, and `--applicants` companies, each with one member and a complete
draft application. They are written in bulk (users, verified addresses, companies, memberships, roles, drafts and
signed-in sessions; one shared password hash), because going through the services and sign-in form 500 times
would take longer than the rush: allauth allows 30 sign-ins a minute from one address and the production password
hasher costs ~0.3 s each. `--real-logins` of them (default 10) sign in through allauth's login form instead, before
the rush. The call then closes `--close-in` seconds later, and `--clients` threads each take the next applicant,
open its `check` page, and POST the declarations from the page's form. Every `--double-every`th applicant submits
twice at once (a double click) and the next one resubmits after its success (a retry). When the queue is empty it
waits for the deadline, then `--late` applicants kept back try to submit and must be refused with the deadline
message. Then it checks in the database and the mail folder:

- nothing lost: every applicant who got the success redirect has a submitted application with exactly one version;
- nothing duplicated: references are unique and run 1..N with no gap for the challenge;
- every confirmation email sent exactly once: one `OutboundEmail` per submission, all sent by the worker, and one
  message per applicant in the mail folder, naming that applicant's reference.

It prints p50/p95/max latency of the check page and of the submission POST, and submissions per second.
Exits non-zero if any check fails.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_string, policy
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import Stack

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DEADLINE_MESSAGE = "The deadline has passed"
DECLARED = {"declare_eligible": "on", "declare_no_conflict": "on", "declare_terms": "on"}
ANSWERS = {
    "idea": "A booking assistant that texts patients and rebooks in one reply.",
    "innovation": "Two-way SMS linked to live clinic capacity.",
    "commercial": "Every health board and GP practice could use it.",
    "team": "Three engineers and a clinician with NHS product experience.",
    "commitment": "We can staff every stage on the round's dates.",
    "equality_sustainability": "Plain language, text only, no travel for users.",
}
PASSWORD = "rush-hour-applicant-password"  # noqa: S105 - a throwaway benchmark database


@dataclass
class Applicant:
    email: str
    application_id: int
    session_key: str | None
    kind: str = "single"  # single | double (two at once) | retry (again after success) | late
    results: list[int] = field(default_factory=list)
    succeeded: bool = False
    refused_text: str = ""


def prepare(n: int, real_logins: int) -> tuple[list[Applicant], int]:
    """One round and challenge, n applicants with complete drafts and (for most) server-side sessions."""
    import json

    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from accounts.roles import Role, group_for
    from applications.models import Application
    from challenges.models import ChallengePage
    from challenges.services import round_create, sponsor_space_ensure
    from organisations.models import Membership, Organisation, OrganisationKind

    now = timezone.now()
    week = timedelta(weeks=1)
    round_ = round_create(
        by=None, name="CivTech Rush", slug="civtech-rush", code="CTR", call_opens=now - 4 * week,
        questions_close=now - week, call_closes=now + week, shortlist_by=now + 2 * week,
        interviews_start=now + 3 * week, interviews_end=now + 4 * week, exploration_start=now + 5 * week,
        exploration_end=now + 8 * week, pitch_at=now + 8 * week, accelerator_start=now + 10 * week,
        accelerator_end=now + 25 * week, demo_day=now + 25 * week,
    )  # fmt: skip
    sponsor = Organisation.objects.create(name="Rush Council", slug="rush-council", kind=OrganisationKind.PUBLIC_BODY)
    page = ChallengePage(
        title="Reduce missed hospital appointments", round=round_, summary="A problem the sponsor needs solved.",
        problem_statement=json.dumps([{"type": "paragraph", "value": "<p>The problem in detail.</p>"}]),
        users="<p>Patients.</p>", success="<p>Fewer missed appointments.</p>", sponsor_provides="<p>Data.</p>",
    )  # fmt: skip
    sponsor_space_ensure(organisation=sponsor).add_child(instance=page)
    page.save_revision().publish()

    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [User(email=f"applicant{i}@rush.example", password=password, first_name="Rush", last_name=str(i))
         for i in range(n)]
    )  # fmt: skip
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users])
    group = group_for(Role.APPLICANT)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Rush Company {i} Ltd", slug=f"rush-company-{i}", kind=OrganisationKind.COMPANY,
                      employees=10, turnover=500_000) for i in range(n)]
    )  # fmt: skip
    Membership.objects.bulk_create(
        [Membership(organisation=o, user=u, role="admin") for o, u in zip(orgs, users, strict=False)]
    )
    apps = Application.objects.bulk_create(
        [
            Application(challenge=page, organisation=o, created_by=u, **ANSWERS)
            for o, u in zip(orgs, users, strict=False)
        ]
    )
    sessions, keys = [], []
    store = SessionStore()
    expires = now + timedelta(days=1)
    for u in users[real_logins:]:
        key = get_random_string(32)
        data = {SESSION_KEY: str(u.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: u.get_session_auth_hash()}  # fmt: skip
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys.append(key)
    Session.objects.bulk_create(sessions)
    keys = [None] * real_logins + keys
    return [Applicant(u.email, a.pk, k) for u, a, k in zip(users, apps, keys, strict=True)], round_.pk


def sign_in(base: str, applicant: Applicant) -> requests.Session:
    session = requests.Session()
    if applicant.session_key:
        session.cookies.set("sessionid", applicant.session_key, domain="127.0.0.1", path="/")
        return session
    page = session.get(f"{base}/accounts/login/", timeout=30)
    response = session.post(
        f"{base}/accounts/login/",
        data={"login": applicant.email, "password": PASSWORD, "csrfmiddlewaretoken": TOKEN.search(page.text)[1]},
        headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False, timeout=30,
    )  # fmt: skip
    assert response.status_code == 302 and "sessionid" in session.cookies, (response.status_code, applicant.email)
    return session


class Rush:
    def __init__(self, base: str):
        self.base = base
        self.lock = threading.Lock()
        self.check_ms: list[float] = []
        self.submit_ms: list[float] = []
        self.errors: list[str] = []
        self.last_success = 0.0

    def _timed(self, bucket: list[float], call):
        started = time.perf_counter()
        response = call()
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            bucket.append(elapsed)
        return response

    def _post(self, session, url, token):
        return self._timed(self.submit_ms, lambda: session.post(
            url, data={**DECLARED, "csrfmiddlewaretoken": token}, headers={"Referer": url},
            allow_redirects=False, timeout=60))  # fmt: skip

    def submit(self, applicant: Applicant, session: requests.Session, token: str | None = None) -> None:
        """Open the check page (unless a token from an earlier visit is given) and submit its form."""
        url = f"{self.base}/applications/{applicant.application_id}/check/"
        try:
            if token is None:
                page = self._timed(self.check_ms, lambda: session.get(url, timeout=60))
                token = TOKEN.search(page.text)[1]
            if applicant.kind == "double":
                with ThreadPoolExecutor(2) as pair:
                    responses = list(pair.map(lambda _: self._post(session, url, token), range(2)))
            else:
                responses = [self._post(session, url, token)]
                if applicant.kind == "retry":
                    responses.append(self._post(session, url, token))
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the rush
            with self.lock:
                self.errors.append(f"{applicant.email}: {type(exc).__name__}: {exc}")
            return
        applicant.results = [r.status_code for r in responses]
        done = f"/applications/{applicant.application_id}/submitted/"
        applicant.succeeded = any(r.status_code == 302 and r.headers["Location"].endswith(done) for r in responses)
        if applicant.succeeded:
            with self.lock:
                self.last_success = time.monotonic()
        else:
            applicant.refused_text = responses[0].text


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    q = statistics.quantiles(values, n=100)
    return f"p50 {statistics.median(values):.0f} ms, p95 {q[94]:.0f} ms, max {max(values):.0f} ms"


def verify(applicants: list[Applicant], email_dir: Path, round_id: int) -> list[str]:
    from applications.models import Application, ApplicationVersion, ReferenceSequence
    from notifications.models import OutboundEmail

    failures = []
    succeeded = [a for a in applicants if a.succeeded]
    by_id = {
        a.pk: a
        for a in Application.objects.filter(pk__in=[x.application_id for x in applicants]).select_related("challenge")
    }
    versions = Counter(
        ApplicationVersion.objects.filter(application_id__in=list(by_id)).values_list("application_id", flat=True)
    )
    lost = [a.email for a in succeeded if by_id[a.application_id].status != "submitted"]
    wrong = [a.email for a in succeeded if versions[a.application_id] != 1]
    phantom = [a.email for a in applicants if not a.succeeded and versions[a.application_id]]
    if lost:
        failures.append(f"LOST: {len(lost)} got a success page but are not submitted, e.g. {lost[:3]}")
    if wrong:
        failures.append(f"DUPLICATED: {len(wrong)} have other than one version, e.g. {wrong[:3]}")
    if phantom:
        failures.append(f"UNCONFIRMED: {len(phantom)} were submitted without a success response, e.g. {phantom[:3]}")

    references = [
        a.reference for a in by_id.values() if a.reference is not None
    ]  # every reference the challenge issued here
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in references)
    sequence = ReferenceSequence.objects.get(challenge_id=next(iter(by_id.values())).challenge_id)
    if len(set(references)) != len(references) or numbers != list(range(1, len(numbers) + 1)):
        failures.append(f"REFERENCES not unique and gap-free: {len(references)} issued, {len(set(references))} unique")
    if sequence.last != len(succeeded):
        failures.append(f"SEQUENCE at {sequence.last}, but {len(succeeded)} submissions succeeded")

    # The worker delivers after commit; give it time to drain the queue.
    emails = OutboundEmail.objects.filter(to__in=[a.email for a in applicants])
    deadline = time.monotonic() + 120
    while emails.exclude(status="sent").exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    per_address = Counter(emails.values_list("to", flat=True))
    not_sent = emails.exclude(status="sent").count()
    if not_sent:
        failures.append(f"EMAIL: {not_sent} outbox rows not sent by the worker within 120 s")
    if sorted(per_address) != sorted(a.email for a in succeeded) or set(per_address.values()) != {1}:
        failures.append(
            f"EMAIL: outbox rows per address {Counter(per_address.values())} for {len(succeeded)} submissions"
        )
    delivered = Counter()
    named = 0
    reference_of = {a.email: by_id[a.application_id].reference for a in succeeded}
    for path in email_dir.iterdir():
        for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
            if raw.strip():
                message = message_from_string(raw, policy=policy.default)
                delivered[message["To"]] += 1
                named += reference_of.get(message["To"], "?") in message["Subject"]
    if sorted(delivered) != sorted(reference_of) or set(delivered.values()) != {1}:
        failures.append(
            f"EMAIL: {sum(delivered.values())} messages in the mail folder for {len(succeeded)} submissions"
        )
    if named != len(succeeded):
        failures.append(f"EMAIL: {named} of {len(succeeded)} messages name their own reference")
    print(f"database: {len(succeeded)} submitted, {sum(versions.values())} versions, references 1..{sequence.last}; "
          f"outbox: {sum(per_address.values())} rows, all sent: {not not_sent}; "
          f"mail folder: {sum(delivered.values())} messages, {len(delivered)} addresses")  # fmt: skip
    return failures


def redis_outage(stack: Stack, spec: str) -> threading.Thread:
    at, lasting = (float(part) for part in spec.split(":"))

    def run() -> None:
        time.sleep(at)
        stack.stop_redis()
        print(f"FAULT: Redis stopped {at:.0f}s into the rush", flush=True)
        time.sleep(lasting)
        stack.start_redis()
        print(f"FAULT: Redis started again, empty, {lasting:.0f}s later", flush=True)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=520)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--close-in", type=float, default=60, help="seconds from the start of the rush to the deadline")
    parser.add_argument("--double-every", type=int, default=10)
    parser.add_argument("--late", type=int, default=20)
    parser.add_argument("--real-logins", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the config's)")
    parser.add_argument("--database", default="civtech_rush")
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--web-port", type=int, default=8390)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--redis-outage",
        metavar="AT:FOR",
        help="a fault: stop Redis (cache and broker) AT seconds into the rush; start it, empty, FOR seconds later",
    )
    args = parser.parse_args()

    email_dir = Path(tempfile.mkdtemp(prefix="civtech-rush-mail-"))
    with Stack(
        database=args.database, redis_port=args.redis_port, web_port=args.web_port, email_dir=email_dir
    ) as stack:
        os.environ.update(stack.env)
        import django

        t = time.perf_counter()
        stack.create_database()
        stack.start_redis()
        stack.manage("migrate", "--noinput")
        stack.collectstatic()
        django.setup()
        from django.utils import timezone

        from challenges.models import Round
        from civtech.cache import bump_version

        total = args.applicants + args.late
        applicants, round_id = prepare(total, args.real_logins)
        print(f"prepared {total} applicants with complete drafts in {time.perf_counter() - t:.1f}s "
              f"(database, migrations, static files and bulk data)", flush=True)  # fmt: skip
        stack.start_gunicorn(args.workers)
        stack.start_worker()
        sessions = {a.email: sign_in(stack.base_url, a) for a in applicants}
        print(f"{args.real_logins} signed in through allauth's form, {total - args.real_logins} with server-side "
              f"sessions; gunicorn ({stack.logs}) and a Celery worker running", flush=True)  # fmt: skip

        on_time, late = applicants[: args.applicants], applicants[args.applicants :]
        for i, a in enumerate(on_time):
            if i % args.double_every == 0:
                a.kind = "double"
            elif i % args.double_every == 1:
                a.kind = "retry"
        for a in late:
            a.kind = "late"

        # The late ones opened their check page while the call was open, and press "Submit" after it closes.
        late_tokens = {}
        for a in late:
            page = sessions[a.email].get(f"{stack.base_url}/applications/{a.application_id}/check/", timeout=30)
            late_tokens[a.email] = TOKEN.search(page.text)[1]
        rush = Rush(stack.base_url)
        started = time.monotonic()
        deadline_at = started + args.close_in
        Round.objects.filter(pk=round_id).update(call_closes=timezone.now() + timedelta(seconds=args.close_in))
        bump_version()  # a queryset update sends no signal
        print(f"the call closes in {args.close_in:.0f}s; {args.clients} clients submitting {len(on_time)}", flush=True)
        outage = redis_outage(stack, args.redis_outage) if args.redis_outage else None
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(lambda a: rush.submit(a, sessions[a.email]), on_time))
        if outage:
            outage.join()
        finished = rush.last_success or time.monotonic()
        succeeded = sum(a.succeeded for a in on_time)
        before_deadline = finished <= deadline_at
        print(f"{succeeded} of {len(on_time)} submitted in {finished - started:.1f}s "
              f"({'before' if before_deadline else 'NOT all before'} the deadline)", flush=True)  # fmt: skip

        time.sleep(max(0.0, deadline_at - time.monotonic()) + 1)
        late_rush = Rush(stack.base_url)
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(lambda a: late_rush.submit(a, sessions[a.email], late_tokens[a.email]), late))
        refused = [a for a in late if not a.succeeded and a.results == [403] and DEADLINE_MESSAGE in a.refused_text]

        failures = []
        if rush.errors:
            failures.append(f"ERRORS: {len(rush.errors)} requests failed, e.g. {rush.errors[:3]}")
        statuses = Counter(code for a in on_time for code in a.results)
        if succeeded != len(on_time):
            failures.append(f"REFUSED ON TIME: {len(on_time) - succeeded} (statuses {dict(statuses)})")
        if len(refused) != len(late):
            failures.append(f"LATE: only {len(refused)} of {len(late)} late submissions refused with the message")
        if outage:
            from notifications.services import email_redeliver_pending

            # What beat's redeliver_pending does every minute, without its two-minute grace: the emails whose
            # enqueue failed while Redis was down, and those queued in Redis when it went, are still pending.
            print(f"redelivery after the outage: {email_redeliver_pending(older_than_seconds=0)} emails re-enqueued")
        failures += verify(applicants, email_dir, round_id)

        elapsed = finished - started
        print(f"\ncheck page GET:   {percentiles(rush.check_ms)}  ({len(rush.check_ms)} requests)")
        print(f"submission POST:  {percentiles(rush.submit_ms)}  ({len(rush.submit_ms)} requests, incl. doubles)")
        print(f"throughput:       {succeeded / elapsed:.1f} submissions/s ({succeeded} in {elapsed:.1f}s, "
              f"{args.clients} clients); statuses {dict(statuses)}")  # fmt: skip
        print(f"doubles/retries:  {sum(a.kind != 'single' for a in on_time)} applicants sent two POSTs; "
              f"after the deadline {len(refused)}/{len(late)} refused with “{DEADLINE_MESSAGE}…”")  # fmt: skip
        print("\n" + ("FAILED:\n  " + "\n  ".join(failures) if failures else "OK: nothing lost, nothing duplicated, "
              "every confirmation email sent exactly once"))  # fmt: skip
        from django.db import connections

        connections.close_all()
        stack.stop()
        if failures:
            print(f"logs kept in {stack.logs}, mail in {email_dir}")
        elif not args.keep:
            stack.drop_database()
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
