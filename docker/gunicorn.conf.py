"""Gunicorn settings for the container (`gunicorn --config docker/gunicorn.conf.py civtech.wsgi:application`)."""

import os

bind = "0.0.0.0:8000"


def _default_workers() -> int:
    # The usual 2 x CPUs + 1, counting only the CPUs this process may run on. Capped, because on a big
    # host every worker holds its own memory and database connection; set WEB_CONCURRENCY to override
    # (for example when the container has a CPU quota, which this count does not see).
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(2 * cpus + 1, 8)


workers = int(os.environ.get("WEB_CONCURRENCY") or _default_workers())
timeout = 30
# Both logs to the container's stdout/stderr, where the platform collects them.
accesslog = "-"
errorlog = "-"
# Worker heartbeats in memory: /tmp in a container may be an overlay filesystem that can stall them.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a fixed, container-private path
