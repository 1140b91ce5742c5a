"""Fast, deterministic settings for pytest. Real services still come from the environment."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default="/tmp/civtech-test-mail")  # noqa: S108
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default="/tmp/civtech-test-private")  # noqa: S108
STORAGES = {**STORAGES, "private": {**STORAGES["private"], "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)}}}  # noqa: F405
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/civtech-test-media")  # noqa: S108 - throwaway test files
# Tests read the outbox synchronously unless they deliberately run a real worker.
# The real-worker test starts a worker process with CELERY_TASK_ALWAYS_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Rate limits are exercised by their own tests, which switch them back on.
ACCOUNT_RATE_LIMITS = False
