"""Uncached pages, in-process, at 1,000 challenges: the public listing under every filter, a challenge page, and the
pages staff and applicants work in (issue #22). Times and query counts per page; the anonymous page cache is off.

    createdb -h 127.0.0.1 -U postgres civtech_bench_pages   # throwaway: seeded once, reused by later runs
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civtech_bench_pages \\
        .venv/bin/python bench/pages.py --challenges 1000 --applications 650 --requests 30

Seeds `seed_demo` (scale 1, through the services) when the database is empty, then adds challenge pages up to
`--challenges` through Wagtail's tree (as bench/speed.py does) and submitted applications up to `--applications`
(bulk, one company each, spread over the added challenges: only their number matters to the staff list). Each page
is requested once to warm up, then `--requests` times through Django's test client (no server: this measures our
code, templates and queries); it prints median and p95 milliseconds and the queries of one request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civtech.settings.dev")
os.environ["DEBUG"] = "false"
os.environ["PUBLIC_CACHE_SECONDS"] = "0"  # uncached: the anonymous page cache would answer the public pages


def add_applications(target: int) -> int:
    from django.utils import timezone

    from accounts.models import User
    from applications.models import Application
    from challenges.models import ChallengePage
    from formbuilder.models import ApplicationForm
    from organisations.models import Organisation

    missing = target - Application.objects.count()
    if missing <= 0:
        return 0
    challenges = list(ChallengePage.objects.live().order_by("-pk")[:200])
    applicant = User.objects.get(email="applicant@thistle.example")
    start = Organisation.objects.count()
    companies = Organisation.objects.bulk_create(
        Organisation(name=f"Bench company {start + i}", slug=f"bench-company-{start + i}", kind="sme",
                     region="edinburgh", description="A company made by the benchmark.")
        for i in range(missing)
    )  # fmt: skip
    now = timezone.now()
    form_version = ApplicationForm.default().current_version()
    answers = {"idea": "An idea.", "innovation": "New.", "commercial": "Viable.", "team": "Able.", "commitment": "Yes.",
               "equality_sustainability": "Yes."}  # fmt: skip
    Application.objects.bulk_create(
        Application(challenge=challenges[i % len(challenges)], organisation=company, created_by=applicant,
                    status=Application.Status.SUBMITTED, reference=f"BENCH-{company.pk}", submitted_at=now,
                    form_version=form_version, answers=answers)
        for i, company in enumerate(companies)
    )  # fmt: skip
    return missing


def seed(challenges: int, applications: int) -> None:
    from django.core.management import call_command

    from challenges.models import ChallengePage

    call_command("migrate", verbosity=0)
    if not ChallengePage.objects.exists():
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", "--quiet-credentials", stdout=quiet)
        print(f"seed_demo (scale 1) in {time.perf_counter() - started:.0f}s", flush=True)
    live = ChallengePage.objects.live().count()
    if live < challenges:
        from bench.speed import add_challenges

        started = time.perf_counter()
        add_challenges(challenges - live)
        print(f"added {challenges - live} challenge pages in {time.perf_counter() - started:.0f}s", flush=True)
    added = add_applications(applications)
    if added:
        print(f"added {added} applications", flush=True)


def pages() -> dict[str, tuple[str | None, str]]:
    """label → (who is signed in, path)."""
    from applications.models import Application
    from challenges.models import ChallengePage, Round, Sector
    from organisations.models import Organisation

    challenge = ChallengePage.objects.live().order_by("pk").first()
    round_ = Round.objects.order_by("pk").first()
    sector = Sector.objects.order_by("pk").first()
    sponsor = Organisation.objects.filter(challenges__isnull=False).distinct().order_by("pk").first()
    busiest = Application.objects.values("challenge").order_by().annotate(n=models_count()).order_by("-n")[0]
    public = {
        "/challenges/": "/challenges/",
        "/challenges/ ?status=open": "/challenges/?status=open",
        "/challenges/ ?sector": f"/challenges/?sector={sector.slug}",
        "/challenges/ ?sponsor": f"/challenges/?sponsor={sponsor.slug}",
        "/challenges/ ?round": f"/challenges/?round={round_.slug}",
        "/challenges/ ?q=data": "/challenges/?q=data",
        "/challenges/ all filters": f"/challenges/?q=data&status=closed&sector={sector.slug}&round={round_.slug}"
        f"&sponsor={sponsor.slug}&sort=title",
        "/challenges/ ?page=20": "/challenges/?page=20",
        "challenge page": challenge.url,
        "home": "/",
    }
    staff_list = "/admin/snippets/applications/application/"  # 50 rows a page
    own = Application.objects.filter(created_by__email="applicant@thistle.example").order_by("pk").first()
    signed_in = {
        "staff application list (50)": ("staff@civtech.example", staff_list),
        "staff application detail": ("staff@civtech.example", f"{staff_list}inspect/{own.pk}/"),
        "evaluation ranking": ("staff@civtech.example", f"/admin/evaluation/{busiest['challenge']}/"),
        "staff dashboard": ("staff@civtech.example", "/dashboard/"),
        "applicant dashboard": ("applicant@thistle.example", "/dashboard/"),
        "own application": ("applicant@thistle.example", f"/applications/{own.pk}/"),
    }
    return {**{label: (None, path) for label, path in public.items()}, **signed_in}


def models_count():
    from django.db.models import Count

    return Count("pk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--challenges", type=int, default=1000)
    parser.add_argument("--applications", type=int, default=650)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--only", default="", help="run only the pages whose label contains this")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the shared cache before every timed request: the cost of a page nobody has asked for since "
        "public content last changed (a first visit after a publish, or a filter combination not seen before)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="after timing each page, profile it (cProfile) and print its N costliest functions",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from accounts.models import User
    from tests.clients import SignInClient

    seed(args.challenges, args.applications)
    clients: dict[str | None, SignInClient] = {None: SignInClient()}
    print(f"{'page':<34}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    for label, (email, path) in pages().items():
        if args.only not in label:
            continue
        if email not in clients:
            clients[email] = SignInClient()
            clients[email].force_login(User.objects.get(email=email))
        client = clients[email]
        response = client.get(path)
        assert response.status_code == 200, (label, path, response.status_code)
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(path)
        timings = []
        for _ in range(args.requests):
            if args.cold:
                cache.clear()  # sessions are in the database: people stay signed in
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(f"{label:<34}{statistics.median(timings):>10.1f}{p95:>9.1f}{len(queries):>9}", flush=True)
        if args.profile:
            profile(client, path, args.requests, args.profile)


def profile(client, path: str, requests: int, top: int) -> None:
    """Where one page's time goes: cumulative and own time of its costliest functions over `requests` requests."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
