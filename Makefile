# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= civtech.settings.dev
# pytest-xdist workers: one per core by default. `make test TEST_WORKERS=0` runs in one process (for a debugger).
TEST_WORKERS ?= $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
PYTEST := DJANGO_SETTINGS_MODULE=civtech.settings.test $(PY) -m pytest -n $(TEST_WORKERS)

.PHONY: run test test-fast mutation install assets migrate demo lint check ci clean

run: install assets migrate demo  ## Install, build, migrate, load demo data and serve on :8000
	$(PY) manage.py runserver 127.0.0.1:8000

test: install assets  ## Install and run the whole suite (SQLite unless DATABASE_URL is set)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_SETTINGS_MODULE=civtech.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=civtech.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache --no-logo
	DJANGO_SETTINGS_MODULE=civtech.settings.test $(VENV)/bin/mypy
	$(PYTEST) $(PYTEST_ARGS)

test-fast: install assets  ## The inner loop: everything but the browser, real-worker and reliability tests
	$(PYTEST) -m "not browser and not worker and not reliability" $(PYTEST_ARGS)

# Slow, so not in `make test` or CI: one module at a time, one mutant at a time (docs/testing.md).
# `make mutation MODULE=applications/permissions.py`; every module in scripts/mutation.py if MODULE is left out.
# MUTATION_ARGS=--rerun-survivors tries the survivors again after new tests; --fresh forgets earlier results.
mutation: install  ## Mutation testing of the permission rules, two-factor middleware, impact figures, submissions, money
	$(PY) scripts/mutation.py $(MODULE) $(MUTATION_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

assets: civtech/static/vendor/.built

civtech/static/vendor/.built: package.json package-lock.json scripts/copy_assets.sh
	npm ci --no-audit --no-fund
	bash scripts/copy_assets.sh
	touch $@

migrate: install
	$(PY) manage.py migrate --noinput

demo: install
	$(PY) manage.py seed_demo

lint: install
	$(PY) -m ruff check . && $(PY) -m ruff format --check . && $(VENV)/bin/lint-imports --no-cache --no-logo && DJANGO_SETTINGS_MODULE=civtech.settings.test $(VENV)/bin/mypy

ci:  ## What CI runs, from a clean clone
	bash .ci/run

clean:
	rm -rf $(VENV) node_modules civtech/static/vendor staticfiles
