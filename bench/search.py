"""Search latency on the database backend with a large synthetic index (p50/p95), in-process.

    createdb -h 127.0.0.1 -U postgres civtech_search_bench   # a throwaway database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civtech_search_bench \\
        .venv/bin/python bench/search.py --documents 100000 --repeats 20

Migrates the database, then *replaces the search table* with --documents synthetic documents built from
the demo challenges' own text (see `synthetic_documents`), through the same `DatabaseBackend.rebuild`
that `search_index --rebuild` uses, and times `discovery.services.search` (full page: count, ranked page,
snippets, all seven facets, did-you-mean) for a fixed set of queries. Elasticsearch is switched off.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civtech.settings.dev")
os.environ.setdefault("DEBUG", "false")
os.environ["ELASTICSEARCH_URL"] = ""

QUERIES = [
    ("one common word", "data", {}),
    ("two words", "hospital appointments", {}),
    ("rare word", "stonework", {}),
    ("synonym", "NHS", {}),
    ("misspelling", "stonwork", {}),
    ("no match, all stop words dropped but one", "how can we zyxwv", {}),
    ("word + facet filters", "data", {"type": ("challenge",), "status": ("open",)}),
    ("filters only", "", {"sector": ("1",), "funding": ("350k-500k",)}),
]


def synthetic_documents(count: int):
    """Deterministic documents mixing the 16 demo challenges' sentences, titles, sponsors and sectors.

    Kinds are 60% challenges, 20% solutions, 10% companies, 10% news; each body takes 6–12 sentences from
    random demo challenges, so word frequencies look like the real texts but every document differs."""
    from django.utils import timezone

    from challenges.demo import CHALLENGES, SECTORS
    from discovery.sources import Doc, stream_text

    rng = random.Random(7)  # noqa: S311 - reproducible test data, not secrets
    sentences = [s.strip() + "." for d in CHALLENGES for p in d.problem for s in p.split(". ") if len(s) > 20]
    sentences += [stream_text(d.users) for d in CHALLENGES]
    sponsors = sorted({d.sponsor for d in CHALLENGES})
    now = timezone.now()
    for i in range(count):
        demo = CHALLENGES[i % len(CHALLENGES)]
        kind = rng.choices(["challenge", "solution", "company", "news"], weights=[6, 2, 1, 1])[0]
        start = now + timedelta(days=rng.randint(-900, 120))
        sponsor = rng.randrange(len(sponsors))
        sectors = rng.sample(range(len(SECTORS)), rng.randint(1, 3))
        yield Doc(
            kind=kind,
            object_id=i + 1,
            title=f"{demo.title} #{i}",
            url=f"/bench/{i}/",
            summary=demo.summary,
            body=" ".join(rng.sample(sentences, rng.randint(6, 12))),
            keywords=f"{sponsors[sponsor]} {' '.join(SECTORS[s] for s in sectors)}",
            sectors=[(s + 1, SECTORS[s]) for s in sectors],
            sponsor=(sponsor + 1, sponsors[sponsor].replace("-", " ").title()),
            round=(rng.randint(1, 12), f"CivTech {rng.randint(1, 12)}"),
            region=rng.choice(["glasgow", "edinburgh", "highlands", "tay", ""]),
            funding=Decimal(rng.choice([50_000, 150_000, 350_000, 500_000, 650_000])),
            dates={
                "call_opens": start,
                "call_closes": start + timedelta(days=28),
                "exploration_start": start + timedelta(days=56),
                "accelerator_start": start + timedelta(days=91),
                "accelerator_end": start + timedelta(days=196),
                "stopped_at": None,
            }
            if kind == "challenge"
            else {},
            published_at=start,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--skip-build", action="store_true", help="Reuse the documents already in the table.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from discovery import services
    from discovery.backends.database import DatabaseBackend
    from discovery.models import SearchDocument, SearchTerm
    from discovery.query import Query

    call_command("migrate", verbosity=0)
    if not args.skip_build:
        started = time.perf_counter()
        DatabaseBackend().rebuild(
            synthetic_documents(args.documents),
            lambda done: done % 10_000 == 0 and print(f"  indexed {done}/{args.documents}", flush=True),
        )
        print(f"built {args.documents} documents in {time.perf_counter() - started:.0f}s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE discovery_searchdocument; ANALYZE discovery_searchterm")
    print(
        f"{connection.vendor}: {SearchDocument.objects.count()} documents, {SearchTerm.objects.count()} terms; "
        f"{args.repeats} runs per query after one warm-up"
    )
    print("| query | results | p50 ms | p95 ms |\n|---|---|---|---|")
    for label, text, filters in QUERIES:
        query = Query(text=text, filters=filters)
        results = services.search(query)  # warm-up
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            services.search(query)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        shown = f"`{text}`" + (f" + {dict(filters)}" if filters else "") if text else str(dict(filters))
        print(f"| {label}: {shown} | {results.total} | {statistics.median(times):.1f} | {p95:.1f} |", flush=True)


if __name__ == "__main__":
    main()
