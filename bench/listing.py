"""Time the public pages at a given demo scale, in-process (no network), and count their queries.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/listing.py --scale 20 --requests 50

Seeds the demo data at --scale into whatever DATABASE_URL names (migrating it first), then requests each
page --requests times through Django's test client and prints median and 95th-percentile times and the
number of queries per request. Use a throwaway database: seeding adds rows.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civtech.settings.dev")
os.environ.setdefault("DEBUG", "false")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from challenges.models import ChallengePage

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--scale", str(args.scale), "--quiet-credentials", stdout=quiet)
    print(f"seeded scale {args.scale} in {time.perf_counter() - started:.1f}s: "
          f"{ChallengePage.objects.live().count()} live challenges")  # fmt: skip

    client = Client()
    challenge = ChallengePage.objects.live().first()
    pages = {
        "/challenges/": "/challenges/",
        "/challenges/?status=open&q=data": "/challenges/?status=open&q=data",
        "challenge page": challenge.url,
        "/": "/",
    }
    print(f"{'page':<36}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for label, url in pages.items():
        client.get(url)  # warm caches
        timings = []
        for _ in range(args.requests):
            t = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"{label:<36}{statistics.median(timings):>10.1f}{p95:>10.1f}{len(queries):>9}")


if __name__ == "__main__":
    main()
