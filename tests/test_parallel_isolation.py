"""Parallel workers (pytest-xdist) never share files, cache keys or queues (civtech/settings/test.py)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.MEDIA_ROOT, s.PRIVATE_MEDIA_ROOT, s.EMAIL_FILE_PATH, s.CACHES['default']['KEY_PREFIX'], "
    "s.CELERY_TASK_DEFAULT_QUEUE)"
)


def settings_for(worker: str | None) -> list[str]:
    """The test settings as a process started by that worker (or outside xdist, for None) sees them."""
    env = {k: v for k, v in os.environ.items() if k not in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "EMAIL_FILE_PATH")}
    env.pop("PYTEST_XDIST_WORKER", None)
    env["DJANGO_SETTINGS_MODULE"] = "civtech.settings.test"
    if worker:
        env["PYTEST_XDIST_WORKER"] = worker
    out = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_each_worker_has_its_own_folders_cache_prefix_and_queue():
    gw0, gw1, alone = settings_for("gw0"), settings_for("gw1"), settings_for(None)
    for mine, theirs in ((gw0, gw1), (gw0, alone), (gw1, alone)):
        assert all(a != b for a, b in zip(mine, theirs, strict=True)), (mine, theirs)
    assert gw0 == ["/tmp/civtech-test-media-gw0", "/tmp/civtech-test-private-gw0", "/tmp/civtech-test-mail-gw0",
                   "test-gw0", "celery-gw0"]  # fmt: skip


def test_this_process_uses_its_workers_settings():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    suffix = f"-{worker}" if worker else ""
    prefix, queue = settings.CACHES["default"]["KEY_PREFIX"], settings.CELERY_TASK_DEFAULT_QUEUE
    assert (prefix, queue) == (f"test{suffix}", f"celery{suffix}")
