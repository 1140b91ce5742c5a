"""Settings shared by every environment. Environment-specific modules import * from here."""

from typing import Any, Literal

from celery.schedules import crontab

from civtech.env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL
SERVICE_NAME = "CivTech"
SITE_ID = 1

INSTALLED_APPS = [
    # Project apps first so their templates override Wagtail's and allauth's.
    "civtech",
    "accounts",
    "organisations",
    "notifications",
    "formbuilder",
    "pipelines",
    "cms",
    "challenges",
    "applications",
    "ledger",
    "sprints",
    "impact",
    "discovery",
    "api",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # allauth
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the sitemap.xml template, for /sitemap.xml (civtech/public_site.py)
    "csp",
    # The public API (api/): DRF with token sign-in for staff, OpenAPI schema, Swagger UI served locally.
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the shared cache, before sessions and auth run (civtech/cache.py).
    "civtech.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    # Inside the admin, people who are not programme staff reach only the routes they need (accounts/admin_scope.py).
    "accounts.admin_scope.AdminScopeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civtech.csp.AreaCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A query string with a NUL character in it is refused, whatever the view (civtech/querystring.py).
    "civtech.querystring.QueryStringMiddleware",
    # The request's Wagtail site from the shared cache rather than a query per request (civtech/pages.py).
    "civtech.pages.SiteFromCacheMiddleware",
]

ROOT_URLCONF = "civtech.urls"
SILENCED_SYSTEM_CHECKS = ["templates.W003"]  # the one deliberate shared library name: see TEMPLATES
WSGI_APPLICATION = "civtech.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "civtech" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "civtech.context_processors.service",
            ],
            # Wagtail's admin tags with the sidebar cached per person (civtech/templatetags/wagtailadmin_sidebar.py).
            # Giving Wagtail's library name to our module is deliberate, so Django's warning that two modules share
            # the name (templates.W003) is silenced below.
            "libraries": {"wagtailadmin_tags": "civtech.templatetags.wagtailadmin_sidebar"},
        },
    },
]

# --- Data -----------------------------------------------------------------------------------------
# SQLite by default so `make run` needs nothing installed; PostgreSQL from DATABASE_URL.
# An empty DATABASE_URL counts as unset, so `DATABASE_URL= make test` means SQLite.
DATABASES = {"default": env.db_url_config(env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)


def bounded_waits(database: dict, statement_timeout: int) -> dict:
    """Give a PostgreSQL connection limits, so a database that accepts but never answers cannot hold a request
    until gunicorn kills its worker: a new connection gives up after DATABASE_CONNECT_TIMEOUT seconds, and a
    statement (a query stuck behind a lock, say) after DATABASE_STATEMENT_TIMEOUT seconds (0: no limit)."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        return database
    options = database.setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    seconds = env.int("DATABASE_STATEMENT_TIMEOUT", default=statement_timeout)
    if seconds:
        options["options"] = f"{options.get('options', '')} -c statement_timeout={seconds * 1000}".strip()
    return database


DATABASES["default"] = bounded_waits(DATABASES["default"], statement_timeout=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# Redis when REDIS_URL is set (shared rate limits and cache across workers); memory otherwise.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Socket timeouts and ForgivingRedisCache: a Redis that is down or hung fails nothing, and after one timeout
    # each process leaves it alone for a few seconds (civtech/redis_cache.py).
    CACHES = {
        "default": {
            "BACKEND": "civtech.redis_cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long an anonymous visitor's copy of a public page may be served from the cache; publishing or any change to
# public content supersedes it at once (civtech/cache.py). 0 turns the page cache off.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)

# --- Authentication -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"  # private pages send people to allauth, not Wagtail's own login

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # reset links expire after a day
PASSWORD_RESET_TIMEOUT = ACCOUNT_PASSWORD_RESET_TIMEOUT
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CivTech] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# allauth's rate limits are on by default; stated here so nobody turns them off by accident.
ACCOUNT_RATE_LIMITS: dict[str, str] | Literal[False] = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# How many reverse proxies stand in front of the web processes (each appends to X-Forwarded-For). It decides the
# client address for every rate limit: the project's forms, allauth's and the API's (civtech/client_ip.py).
# 0 (the default) ignores X-Forwarded-For, which is right only when nothing sits in front.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Public forms (civtech.ratelimit): posts per client (signed-in user, else IP address) per period.
FORM_RATE_LIMITS = {"alerts": "10/h", "questions": "20/h", "demo_day": "10/h"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

# An OpenID Connect provider (e.g. ScotAccount, myaccount) is switched on purely by these variables.
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", default="scotaccount"),
                "name": env("OIDC_PROVIDER_NAME", default="ScotAccount"),
                "client_id": OIDC_CLIENT_ID,
                "secret": env("OIDC_CLIENT_SECRET", default=""),
                "settings": {"server_url": env("OIDC_SERVER_URL")},
            }
        ],
    }

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# The site's wording for the libraries' text (allauth's "Sign Up" is our "Create an account"): see the .po file.
LOCALE_PATHS = [BASE_DIR / "civtech" / "locale"]

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "civtech" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Applicants' files live outside MEDIA_ROOT with no URL at all: only a permission-checked view serves them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Object storage (S3-compatible) when a bucket is named; files stay private behind signed URLs.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_DEFAULT_ACL = "private"
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = 300
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    STORAGES["private"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "private"}}
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Email ----------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env("EMAIL_URL", default=""):
    vars().update(env.email("EMAIL_URL"))
# A mail server that stops answering fails the attempt (retried with backoff) instead of holding a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CivTech <no-reply@civtech.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------------
# No broker configured means tasks run in-process (eager), so the embedded default needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Publishing must not hang a web request when the broker is down: fail fast, the outbox retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A task stays in Redis (kombu's `unacked` hash) from the moment a worker takes it until it has run (acks late). If
# the worker dies without a word (SIGKILL, OOM, a lost host), any worker's sweep puts the task back in its queue once
# it has been held CELERY_VISIBILITY_TIMEOUT seconds, so it runs again at most that long plus one sweep interval
# after it was taken. A worker stopped normally puts back what it has not run at once; a pool process that dies
# mid-task has its task requeued at once (REJECT_ON_WORKER_LOST). Every task must finish, retry countdown included,
# well within the timeout, or a live worker's task is handed out a second time: hence the time limits below, checked
# against it by tests/test_celery.py. (The option only concerns the broker: a result backend has no such timeout.)
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=300)
CELERY_UNACKED_RESTORE_INTERVAL = env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Each worker sweeps every interval (kombu's default scans Redis on only one sweep in ten: every 100 s)…
    "unacked_restore_interval": CELERY_UNACKED_RESTORE_INTERVAL,
    "unacked_restore_throttle": 1,
    # …under a lock that would outlive a worker killed mid-sweep for 5 minutes by default; a sweep takes milliseconds.
    # No unacked_restore_limit: a sweep puts back every expired task, not the first few.
    "unacked_mutex_expire": 30,
}
# A hard limit (the pool process is killed, the task acknowledged as failed) and a soft one that lets a task record
# its failure first: an export that overruns is marked failed rather than handed to a second worker. The longest
# tasks are exports, whose figures take about a second at ten times today's data (bench/README.md). Discovery's
# retrying tasks have tighter limits of their own; email retries wait at most 64 s.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
# Task modules that are not called tasks.py (Celery autodiscovers only those).
CELERY_IMPORTS = ["impact.exports"]
CELERY_BEAT_SCHEDULE = {
    "impact-restart-stalled-exports": {
        "task": "impact.restart_stalled_exports",
        "schedule": crontab(minute="*/5"),
    },
    "notifications-redeliver-pending-email": {
        "task": "notifications.tasks.redeliver_pending",
        "schedule": crontab(minute="*"),  # after notifications.services.REDELIVER_AFTER_SECONDS (2 minutes)
    },
    "cms-publish-scheduled-pages": {
        "task": "cms.tasks.publish_scheduled_pages",
        "schedule": crontab(minute="*"),
    },
    "challenges-send-pending-alerts": {
        "task": "challenges.tasks.send_pending_alerts",
        "schedule": crontab(minute="*/10"),
    },
    "sprints-send-reminders": {
        "task": "sprints.tasks.send_reminders",
        "schedule": crontab(minute=0, hour="8-17"),
    },
    "sprints-send-message-digests": {
        "task": "sprints.tasks.send_message_digests",
        "schedule": crontab(minute=0, hour=7),
    },
    "impact-send-return-notices": {
        "task": "impact.tasks.send_return_notices",
        "schedule": crontab(minute=30, hour=9),  # daily: notices turn on dates, not hours
    },
}

# --- Search ---------------------------------------------------------------------------------------
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": env("ELASTICSEARCH_INDEX_PREFIX", default="civtech"),
            "TIMEOUT": 5,
        },
        # Kept up to date beside the search server, so the challenge listing can fall back to it.
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Site search (discovery/): Elasticsearch when ELASTICSEARCH_URL is set, with the database table as
# the fallback; index aliases are "<prefix>-challenges", "<prefix>-solutions", and so on.
DISCOVERY_INDEX_PREFIX = env("DISCOVERY_INDEX_PREFIX", default="civtech-discovery")
# After a failed call, searches go straight to the database for this long instead of waiting on a dead server.
DISCOVERY_ES_RETRY_AFTER = env.int("DISCOVERY_ES_RETRY_AFTER", default=30)

# --- Wagtail --------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = SERVICE_NAME
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # documents go through a view, so privacy rules apply
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAIL_I18N_ENABLED = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords are managed by allauth's pages
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Email addresses change only through allauth (which verifies the new address), never Wagtail's account page.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# No Gravatar: it would send staff email hashes to a third party (and the CSP would block it anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Public API and open data (api/) ---------------------------------------------------------------
# Read-only JSON for everyone; programme staff add a token ("Authorization: Token <key>") for the staff
# endpoints. Throttle rates are read on every request (api.throttling), so tests and operators can change them.
# Authentication, pagination, filters and throttles are set on api/'s own views (api.views.base), not here,
# so Wagtail's admin API (which also runs on DRF) keeps its own.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CivTech open data API",
    "DESCRIPTION": (
        "The programme's published data: rounds, challenges, answered questions, companies, solutions, awarded "
        "contracts, verified impact figures and the Open Contracting (OCDS 1.1) publication. Read-only and open "
        "to everyone; the /api/v1/staff/ endpoints need a programme staff token."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: Swagger UI puts them inside the operation's toggle button (nested controls fail WCAG).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "displayOperationId": False},
    "COMPONENT_SPLIT_REQUEST": True,
    # Only our API: Wagtail's admin API is also DRF but is not part of the public contract.
    "PREPROCESSING_HOOKS": ["api.schema.only_api_v1"],
    # Several models have a "kind"; name each choice set after its model so clients get stable type names.
    "ENUM_NAME_OVERRIDES": {
        "PublicContractKindEnum": "api.serializers.PUBLIC_CONTRACT_KINDS",
        "OrganisationKindEnum": "organisations.models.OrganisationKind",
        "BenefitKindEnum": "impact.models.Benefit.Kind",
        "ImpactReturnKindEnum": "impact.models.ImpactReturn.Kind",
        "DimensionEnum": "api.impact.DIMENSION_CHOICES",
    },
}
# OCDS: every challenge is one contracting process, ocid = prefix + the challenge's id. A publisher registers
# its own prefix ("ocds-" and six characters) with the Open Contracting Partnership and sets it here.
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-civtech-")
OCDS_PUBLISHER_NAME = env("OCDS_PUBLISHER_NAME", default="CivTech, Scottish Government")
OCDS_LICENSE = env("OCDS_LICENSE", default="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")

# --- Security (tightened further in production) ---------------------------------------------------
# Wagtail's preview views set SAMEORIGIN themselves (and civtech.csp lets the admin frame itself).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The public site runs without inline script or style. Wagtail's admin still writes inline styles
# and scripts, so its pages get the relaxed policy in civtech.csp (see docs/architecture.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": [
            "'self'",
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail runs its own small jobs (reference index) through django-tasks; one line each is noise.
        "django_tasks": {"level": "WARNING"},
        # Eager Celery (no broker) logs every task it runs in the web process; failures still show.
        "celery.app.trace": {"level": "WARNING"},
    },
}
