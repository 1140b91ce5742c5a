"""Production: refuses to start without its secrets, and turns on every transport protection."""

from .base import *  # noqa: F403
from .base import bounded_waits, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: ImproperlyConfigured if missing
# No SQLite fallback in production. Statements stop at 25 s, before gunicorn's 30 s timeout would kill the worker
# without an answer; the one-shot migrate service sets DATABASE_STATEMENT_TIMEOUT=0.
DATABASES = {"default": bounded_waits(env.db("DATABASE_URL"), statement_timeout=25)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# How many reverse proxies stand in front decides every rate limit's client address (civtech/client_ip.py). No
# default here: guessing 0 behind a proxy puts every visitor in one bucket, guessing 1 with nothing in front lets a
# client forge its address; the deployment must say.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "civtech.storage.StaticStorage"}}  # noqa: F405
