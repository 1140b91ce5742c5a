"""Public pages against the ceiling: what Django itself can serve through the same gunicorn, uncached and cached.

    apt-get install -y wrk
    .venv/bin/python bench/speed.py --challenges 1000 --duration 10 --connections 10

Starts, on loopback only: a PostgreSQL database (`--database`; seeded once and reused on later runs unless
`--reseed`), our own Redis on `--redis-port` (the shared cache, never the shared Redis) and gunicorn with the
container's configuration (`docker/gunicorn.conf.py`; `bench.settings_bench` = production settings plus plain-http
cookies and `/bench/ceiling`, a bare Django view returning a constant through the same middleware).

Seeds `seed_demo` at scale 1 through the services (16 challenges, the impact page and everything they show), then
adds challenge pages up to `--challenges` directly through Wagtail's tree (`add_child`, live, no revision or
moderation workflow, spread over the demo's sponsors and rounds): `seed_demo --scale 63` makes the same number
through every service but takes far longer, and only the number of live challenge pages matters to these pages.

Then, for gunicorn with the public page cache off (`PUBLIC_CACHE_SECONDS=0`) and on (60), it runs `wrk` against the
home page, the challenge listing, a challenge page and `/impact/`, each straight after a run against the ceiling (so
both see the same background load), and prints requests/s, the ratio to that ceiling run, and p50/p95 latency.
Finally, with the cache on, it publishes a change to the challenge page from this process and measures how long
gunicorn takes to serve the new title.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import Stack, psql

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
CEILING = "/bench/ceiling"


def seed(stack: Stack, target: int, reseed: bool) -> None:
    import django

    databases = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SELECT datname FROM pg_database"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    exists = stack.database in databases
    if reseed or not exists:
        stack.create_database()
    stack.manage("migrate", "--noinput")
    django.setup()
    from challenges.models import ChallengePage

    if not ChallengePage.objects.exists():
        started = time.perf_counter()
        stack.manage("seed_demo", "--quiet-credentials")
        print(f"seed_demo (scale 1) in {time.perf_counter() - started:.0f}s", flush=True)
    live = ChallengePage.objects.live().count()
    if live < target:
        started = time.perf_counter()
        add_challenges(target - live)
        print(f"added {target - live} challenge pages in {time.perf_counter() - started:.0f}s", flush=True)
    print(f"{ChallengePage.objects.live().count()} live challenges", flush=True)


def add_challenges(n: int) -> None:
    from challenges.models import ChallengePage, SponsorIndexPage

    templates = list(ChallengePage.objects.live().select_related("round"))
    spaces = list(SponsorIndexPage.objects.live())
    for i in range(n):
        source = templates[i % len(templates)]
        space = spaces[i % len(spaces)]
        page = ChallengePage(
            title=f"{source.title} ({i + 1})", slug=f"{source.slug}-{i + 1}", round=source.round,
            summary=source.summary, problem_statement=source.problem_statement, users=source.users,
            success=source.success, sponsor_provides=source.sponsor_provides, live=True,
            exploration_payment=source.exploration_payment, accelerator_max=source.accelerator_max,
        )  # fmt: skip
        space.add_child(instance=page)
        space.refresh_from_db()  # add_child reads numchild from this instance


def wrk(url: str, duration: int, connections: int, threads: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(WRK_SCRIPT), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    requests, micros, errors, non2xx, p50, p95, p99 = (float(x) for x in line.split()[1:])
    return {"rps": requests / (micros / 1e6), "errors": int(errors), "non2xx": int(non2xx),
            "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000}  # fmt: skip


def fetch(url: str) -> tuple[int, dict, str]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        return response.status, dict(response.headers), response.read().decode()


def measure(stack: Stack, pages: dict, cache_seconds: int, args) -> dict:
    """wrk each page right after a fresh ceiling run, so each ratio compares two runs made moments apart (other
    load on the machine moves both)."""
    stack.env["PUBLIC_CACHE_SECONDS"] = str(cache_seconds)
    stack.start_gunicorn(args.workers)
    results = {}
    try:
        for label, path in pages.items():
            for _ in range(3):  # warm: templates, connections, and the cache when it is on
                status, headers, _ = fetch(stack.base_url + path)
                assert status == 200, (path, status)
            if cache_seconds:
                assert headers.get("X-Public-Cache") == "hit", (path, headers.get("X-Public-Cache"))
            ceiling = wrk(stack.base_url + CEILING, args.duration, args.connections, args.threads)
            r = results[label] = wrk(stack.base_url + path, args.duration, args.connections, args.threads)
            r["ceiling_rps"], r["ratio"] = ceiling["rps"], r["rps"] / ceiling["rps"]
            print(f"  {label:<16} {r['rps']:>7.0f} req/s  ceiling {ceiling['rps']:>5.0f}  ratio {r['ratio']:.2f}  "
                  f"p50 {r['p50']:>6.1f} ms  p95 {r['p95']:>6.1f} ms  errors {r['errors']}", flush=True)  # fmt: skip
    finally:
        stack.stop_process("gunicorn")
    return results


def invalidation(stack: Stack, page_id: int, path: str, workers: int | None) -> float:
    """Publish a new title from this process; seconds until gunicorn serves it (cache on)."""
    from challenges.models import ChallengePage

    stack.env["PUBLIC_CACHE_SECONDS"] = "60"
    stack.start_gunicorn(workers)
    try:
        for _ in range(3):
            fetch(stack.base_url + path)
        page = ChallengePage.objects.get(pk=page_id)
        new_title = f"Published at {time.time():.0f}"
        page.title = new_title
        page.save_revision().publish()
        published = time.perf_counter()
        while new_title not in fetch(stack.base_url + path)[2]:
            if time.perf_counter() - published > 60:
                return float("inf")
            time.sleep(0.01)
        return time.perf_counter() - published
    finally:
        stack.stop_process("gunicorn")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--challenges", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the config's)")
    parser.add_argument("--database", default="civtech_speed")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    parser.add_argument("--redis-port", type=int, default=6392)
    parser.add_argument("--web-port", type=int, default=8392)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install -y wrk)")

    with Stack(database=args.database, redis_port=args.redis_port, web_port=args.web_port) as stack:
        os.environ.update(stack.env)
        stack.start_redis()
        seed(stack, args.challenges, args.reseed)
        stack.collectstatic()
        from challenges.models import ChallengePage

        challenge = ChallengePage.objects.live().filter(title__startswith="Reduce").first() or (
            ChallengePage.objects.live().first()
        )
        pages = {
            "home": "/",
            "listing": "/challenges/",
            "challenge page": challenge.url,
            "impact": "/impact/",
        }
        figures = {}
        for mode, seconds in (("uncached", 0), ("cached", 60)):
            print(f"{mode} (PUBLIC_CACHE_SECONDS={seconds}), wrk -t{args.threads} -c{args.connections} "
                  f"-d{args.duration}s:", flush=True)  # fmt: skip
            figures[mode] = measure(stack, pages, seconds, args)
        seconds = invalidation(stack, challenge.pk, challenge.url, args.workers)
        print(f"\npublish → new title served by gunicorn (cache on): {seconds * 1000:.0f} ms\n")

        print(f"{'page':<16}{'uncached req/s':>15}{'× ceiling':>10}{'p95 ms':>8}"
              f"{'cached req/s':>14}{'× ceiling':>10}{'p95 ms':>8}")  # fmt: skip
        for label in pages:
            u, c = figures["uncached"][label], figures["cached"][label]
            print(f"{label:<16}{u['rps']:>15.0f}{u['ratio']:>10.2f}{u['p95']:>8.1f}"
                  f"{c['rps']:>14.0f}{c['ratio']:>10.2f}{c['p95']:>8.1f}")  # fmt: skip
        if args.json:
            args.json.write_text(json.dumps({"figures": figures, "invalidation_seconds": seconds}, indent=2))
        from django.db import connections

        connections.close_all()
        stack.stop()
        if args.drop:
            psql(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")


if __name__ == "__main__":
    main()
