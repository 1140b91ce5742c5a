"""Fast, deterministic settings for pytest. Real services still come from the environment."""

from .base import *  # noqa: F403
from .base import CACHES, env

# Under pytest-xdist each worker process is told its name (gw0, gw1, …), and the servers and Celery workers a test
# starts inherit it. Everything two workers could both write is named after the worker, so parallel workers never
# share files, cache keys or queues (pytest-django gives each its own test database the same way: test_<name>_gw0).
XDIST_WORKER = env("PYTEST_XDIST_WORKER", default="")
_worker = f"-{XDIST_WORKER}" if XDIST_WORKER else ""

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=f"/tmp/civtech-test-mail{_worker}")  # noqa: S108
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=f"/tmp/civtech-test-private{_worker}")  # noqa: S108
STORAGES = {**STORAGES, "private": {**STORAGES["private"], "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)}}}  # noqa: F405
MEDIA_ROOT = env.path("MEDIA_ROOT", default=f"/tmp/civtech-test-media{_worker}")  # noqa: S108 - throwaway test files
# One Redis database serves every worker: each keeps its keys under its own prefix, and clearing the cache between
# tests removes only that prefix (ForgivingRedisCache.clear), never another worker's rate limits or page versions.
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": f"test{_worker}"}}
# Tests read the outbox synchronously unless they deliberately run a real worker.
# The real-worker test starts a worker process with CELERY_TASK_ALWAYS_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# A worker's own default queue on the shared broker (the worker tests also pick a queue of their own per test).
CELERY_TASK_DEFAULT_QUEUE = f"celery{_worker}"
# Rate limits are exercised by their own tests, which switch them back on.
ACCOUNT_RATE_LIMITS = False
