"""Settings for the loopback benchmarks: production's, plus the ceiling URL and cookies that plain http can carry.

Nothing here is loaded outside `bench/`: production code has no benchmark route.
"""

from civtech.settings.production import *  # noqa: F403

# Loopback has no TLS, and a client will not send a Secure cookie over http. Everything else is production's.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

ROOT_URLCONF = "bench.ceiling_urls"

# The benchmarks count delivered email in a folder (EMAIL_BACKEND=...filebased.EmailBackend).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)  # noqa: F405
