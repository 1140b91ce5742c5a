"""Parallel workers (pytest-xdist) never share files, cache keys or queues (civtech/settings/test.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# The test settings as each worker's processes read them (no name: outside xdist), all in one fresh interpreter.
SHOW = """
import importlib, json, os, sys
seen = {}
for worker in sys.argv[1:]:
    os.environ.pop("PYTEST_XDIST_WORKER", None)
    if worker:
        os.environ["PYTEST_XDIST_WORKER"] = worker
    for name in [name for name in sys.modules if name.startswith("civtech.settings")]:
        del sys.modules[name]
    s = importlib.import_module("civtech.settings.test")
    seen[worker] = [str(s.MEDIA_ROOT), str(s.PRIVATE_MEDIA_ROOT), str(s.EMAIL_FILE_PATH),
                    s.CACHES["default"]["KEY_PREFIX"], s.CELERY_TASK_DEFAULT_QUEUE]
print(json.dumps(seen))
"""


def test_each_worker_has_its_own_folders_cache_prefix_and_queue():
    env = {k: v for k, v in os.environ.items() if k not in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "EMAIL_FILE_PATH")}
    out = subprocess.run([sys.executable, "-c", SHOW, "gw0", "gw1", ""], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)  # fmt: skip
    seen = json.loads(out.stdout)
    gw0, gw1, alone = seen["gw0"], seen["gw1"], seen[""]
    for mine, theirs in ((gw0, gw1), (gw0, alone), (gw1, alone)):
        assert all(a != b for a, b in zip(mine, theirs, strict=True)), (mine, theirs)
    assert gw0 == ["/tmp/civtech-test-media-gw0", "/tmp/civtech-test-private-gw0", "/tmp/civtech-test-mail-gw0",
                   "test-gw0", "celery-gw0"]  # fmt: skip


def test_this_process_uses_its_workers_settings():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    suffix = f"-{worker}" if worker else ""
    prefix, queue = settings.CACHES["default"]["KEY_PREFIX"], settings.CELERY_TASK_DEFAULT_QUEUE
    assert (prefix, queue) == (f"test{suffix}", f"celery{suffix}")
