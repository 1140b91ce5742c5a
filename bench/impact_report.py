"""Time the impact dashboard's figures at 10,000 challenges' worth of data, against a naive Python aggregation.

    createdb -h 127.0.0.1 -U postgres civtech_bench_impact
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civtech_bench_impact \\
        .venv/bin/python bench/impact_report.py --challenges 10000 --repeat 5

Seeds the demo data (scale 1, through the services), then adds `--challenges` challenges' worth of funding and
impact records in bulk: per challenge, three exploration teams and one accelerator team (applications,
engagements, contracts), the exploration payments and four accelerator tranches, a follow-on contract, six
impact returns and two benefits, spread over the demo's challenges, rounds, sponsors and regions. (Creating
10,000 Wagtail pages through seed_demo would take hours; the figures aggregate contracts, payments, returns and
benefits, which is what this adds.) Then it times the whole dashboard — headline figures public and staff,
the four breakdowns and the data-quality flags — and the same headline computed naively in Python from every
row, and checks that both give the same numbers. Use a throwaway database.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civtech.settings.dev")
os.environ.setdefault("DEBUG", "false")

BATCH = 5000


def bulk(model, rows, label):
    started = time.perf_counter()
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    print(f"  {label}: {len(created):,} rows in {time.perf_counter() - started:.1f}s", flush=True)
    return created


def add_volume(n: int) -> None:
    from django.utils import timezone

    from applications.models import Application
    from challenges.models import ChallengePage
    from impact.models import Benefit, ImpactReturn
    from ledger.models import Contract, Payment
    from organisations.models import Organisation, Region
    from sprints.models import Engagement

    today = timezone.localdate()
    challenges = list(ChallengePage.objects.live().select_related("round", "sponsor"))
    staff = __import__("accounts.models", fromlist=["User"]).User.objects.get(email="staff@civtech.example")
    regions = [r for r, _ in Region.choices]
    teams = 4 * n  # three explorers and one accelerator team per challenge's worth
    per_challenge = -(-teams // len(challenges))  # applications are unique per (challenge, organisation)
    print(f"adding {n:,} challenges' worth: {teams:,} teams over {len(challenges)} challenges", flush=True)
    orgs = bulk(Organisation, [
        Organisation(name=f"Bench company {i}", slug=f"bench-company-{i}", kind="company", region=regions[i % 8],
                     employees=5 + i % 200, turnover=Decimal(100_000 + i))
        for i in range(per_challenge)
    ], "organisations")  # fmt: skip
    apps = bulk(Application, [
        Application(challenge=c, organisation=o, created_by=staff, status="selected", reference=f"B{c.pk}-{o.pk}")
        for c in challenges for o in orgs
    ][:teams], "applications")  # fmt: skip
    engagements = bulk(Engagement, [
        Engagement(application=a, stage="accelerator" if i % 4 == 3 else "exploration", starts_on=today,
                   ends_on=today + timedelta(days=90), contract_value=Decimal(350_000 if i % 4 == 3 else 5_000))
        for i, a in enumerate(apps)
    ], "engagements")  # fmt: skip
    by_app = {a.pk: a for a in apps}
    contracts = bulk(Contract, [
        Contract(kind=e.stage, challenge_id=by_app[e.application_id].challenge_id,
                 buyer_id=next(c.sponsor_id for c in challenges if c.pk == by_app[e.application_id].challenge_id),
                 supplier_id=by_app[e.application_id].organisation_id, title=f"Bench {e.stage} {e.pk}",
                 value=e.contract_value, current_value=e.contract_value, starts_on=e.starts_on, ends_on=e.ends_on,
                 awarded_on=today, verified_at=timezone.now())
        for e in engagements
    ], "stage contracts")  # fmt: skip
    for e, c in zip(engagements, contracts, strict=True):
        e.contract = c
    Engagement.objects.bulk_update(engagements, ["contract"])
    engagement_of = {e.contract_id: e.pk for e in engagements}
    payments = []
    for c in contracts:
        if c.kind == "exploration":
            payments.append(Payment(contract=c, number=1, description="Exploration", amount=c.value, due_on=today,
                                    status="paid", paid_on=today))  # fmt: skip
        else:
            for t in range(4):
                payments.append(Payment(contract=c, number=t + 1, description=f"Tranche {t + 1}", amount=c.value / 4,
                                        due_on=today, status="paid" if t < 2 else "planned",
                                        paid_on=today if t < 2 else None))  # fmt: skip
    bulk(Payment, payments, "payments")
    accelerators = [c for c in contracts if c.kind == "accelerator"]
    bulk(Contract, [
        Contract(kind="follow_on", challenge_id=c.challenge_id, buyer_id=c.buyer_id, supplier_id=c.supplier_id,
                 title=f"Bench follow-on {c.pk}", value=Decimal(200_000), current_value=Decimal(200_000),
                 starts_on=today, ends_on=today, awarded_on=today, evidence="bench",
                 verified_at=timezone.now() if i % 2 else None)
        for i, c in enumerate(accelerators)
    ], "follow-on contracts")  # fmt: skip
    returns = []
    for i, c in enumerate(accelerators):
        for p in range(6):
            end = today - timedelta(days=182 * (p + 1))
            returns.append(ImpactReturn(
                engagement_id=engagement_of[c.pk], organisation_id=c.supplier_id, kind="periodic",
                period_start=end - timedelta(days=182), period_end=end, due_on=end + timedelta(days=30),
                submitted_at=timezone.now(), verified_at=timezone.now() if (i + p) % 10 < 7 else None,
                jobs_created=(i + p) % 4, jobs_safeguarded=(i + p) % 2, investment_equity=Decimal(10_000 * (p % 3)),
                investment_grant=Decimal(5_000), investment_debt=None,
            ))  # fmt: skip
    bulk(ImpactReturn, returns, "impact returns")
    benefits = []
    for i, c in enumerate(accelerators):
        sponsor = c.buyer_id
        benefits.append(Benefit(challenge_id=c.challenge_id, sponsor_id=sponsor, kind="cashable", title="Saving",
                                recurrence="recurring", amount=Decimal(20_000), years=3, evidence="bench",
                                status="verified", recorded_by=staff))  # fmt: skip
        benefits.append(Benefit(challenge_id=c.challenge_id, sponsor_id=sponsor, kind="non_cashable", title="Time",
                                recurrence="one_off", amount=Decimal(7_500), evidence="bench",
                                status="verified" if i % 3 else "submitted", recorded_by=staff))  # fmt: skip
    bulk(Benefit, benefits, "benefits")


def naive_headline(public: bool) -> dict:
    """The same figures, the slow way: every row into Python, then summed."""
    from challenges.models import ChallengePage
    from impact.models import Benefit, ImpactReturn
    from ledger.models import Contract, Payment
    from sprints.models import Engagement

    engagements = list(Engagement.objects.all())
    contracts = list(Contract.objects.all())
    returns = [r for r in ImpactReturn.objects.all() if r.kind == "periodic" and r.submitted_at]
    if public:
        returns = [r for r in returns if r.verified_at]
    follow_ons = [c for c in contracts if c.kind in Contract.FOLLOW_ON_KINDS and (c.verified_at or not public)]
    savings = [b for b in Benefit.objects.all() if b.kind in ("cashable", "non_cashable")
               and (b.status == "verified" if public else b.status != "rejected")]  # fmt: skip
    stage = {c.pk for c in contracts if c.kind in Contract.STAGE_KINDS}
    return {
        "challenges": len(list(ChallengePage.objects.live())),
        "exploration_teams": sum(e.stage == "exploration" for e in engagements),
        "accelerator_teams": sum(e.stage == "accelerator" for e in engagements),
        "prototype_funding": sum((c.current_value for c in contracts if c.pk in stage), Decimal(0)),
        "prototype_paid": sum(
            (p.amount for p in Payment.objects.all() if p.contract_id in stage and p.status == "paid"), Decimal(0)
        ),
        "follow_on_value": sum((c.current_value for c in follow_ons), Decimal(0)),
        "jobs_created": sum(r.jobs_created or 0 for r in returns),
        "jobs_safeguarded": sum(r.jobs_safeguarded or 0 for r in returns),
        "investment": sum(
            ((r.investment_equity or 0) + (r.investment_grant or 0) + (r.investment_debt or 0) for r in returns),
            Decimal(0),
        ),
        "savings": sum(
            (b.amount * (b.years or 1) if b.recurrence == "recurring" else b.amount for b in savings), Decimal(0)
        ),
    }


def timed(fn, repeat: int) -> tuple[float, float, object]:
    results, timings = None, []
    for _ in range(repeat):
        started = time.perf_counter()
        results = fn()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), max(timings), results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--challenges", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from impact.models import ImpactReturn
    from impact.reporting import DIMENSIONS, breakdown, headline, quality_flags
    from ledger.models import Contract, Payment

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--quiet-credentials", stdout=quiet)
    print(f"demo seeded in {time.perf_counter() - started:.0f}s", flush=True)
    if Contract.objects.count() < args.challenges:
        add_volume(args.challenges)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"rows: {Contract.objects.count():,} contracts, {Payment.objects.count():,} payments, "
          f"{ImpactReturn.objects.count():,} returns")  # fmt: skip

    def dashboard():
        figures = {"public": headline(public=True), "staff": headline(public=False)}
        for dimension in DIMENSIONS:
            breakdown(dimension, public=False)
        quality_flags()
        return figures

    db_median, db_max, db_figures = timed(dashboard, args.repeat)
    naive_median, naive_max, naive_public = timed(lambda: naive_headline(True), max(1, args.repeat // 2))
    assert naive_public == db_figures["public"], (naive_public, db_figures["public"])
    assert naive_headline(False) == db_figures["staff"]
    client = Client()
    page_median, page_max, _ = timed(lambda: client.get("/impact/"), args.repeat)
    print(
        f"database: the staff dashboard (2 headlines, 4 breakdowns, flags): median {db_median:.2f}s, max {db_max:.2f}s"
    )
    print(f"naive Python: one headline: median {naive_median:.2f}s, max {naive_max:.2f}s (same figures: checked)")
    print(f"public /impact/ page: median {page_median:.2f}s, max {page_max:.2f}s")


if __name__ == "__main__":
    main()
