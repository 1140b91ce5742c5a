# Production image for the CivTech platform: gunicorn serving civtech.wsgi, with static files built in.
# The same image runs the Celery worker and beat (see docker-compose.yml), with a different command.

# --- Stage 1: front-end assets ------------------------------------------------------------------------
# Node is needed only to fetch the vendored packages; nothing from this stage but the copied files ships.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/copy_assets.sh scripts/
RUN bash scripts/copy_assets.sh

# --- Stage 2: the application -------------------------------------------------------------------------
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # manage.py and civtech/celery.py default to the dev settings; everything in this image is production.
    DJANGO_SETTINGS_MODULE=civtech.settings.production

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so a source change does not reinstall them.
# `[tool.setuptools] packages = []` means `pip install .` installs only the dependencies (all have
# wheels, psycopg included, so no compiler is needed); the app itself runs from /app.
COPY pyproject.toml README.md /tmp/deps/
RUN pip install /tmp/deps && rm -rf /tmp/deps

COPY . .
COPY --from=assets /build/civtech/static/vendor civtech/static/vendor

# Production settings refuse to load without SECRET_KEY, DATABASE_URL and TRUSTED_PROXY_COUNT. These throwaway values exist
# only for this RUN step (collectstatic touches no database); they are not kept in the image.
RUN SECRET_KEY=collectstatic-build-only DATABASE_URL=sqlite:////tmp/build.db TRUSTED_PROXY_COUNT=0 \
        python manage.py collectstatic --noinput \
    && rm -f /tmp/build.db

# Run as an unprivileged user. The source and static files stay root-owned (read-only to the app);
# only the media folder is writable. A named volume mounted there inherits this ownership.
RUN useradd --system --user-group --uid 10001 --home-dir /app --no-create-home app \
    && mkdir -p /app/media \
    && chown app:app /app/media
USER app

EXPOSE 8000

# slim images have no curl: docker/healthcheck.py uses the standard library. /healthz is exempt from
# the HTTPS redirect and answers 200 while the database does.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

# Migrations are NOT run here: docker-compose.yml runs them once, in a one-shot `migrate` service that
# web/worker/beat wait for. Running them in a web entrypoint would race when several web replicas start
# together, and would hide a failed migration inside a crash-looping web container.
CMD ["gunicorn", "--config", "/app/docker/gunicorn.conf.py", "civtech.wsgi:application"]
