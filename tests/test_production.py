"""The production packaging: the compose file, the deploy checklist and the production settings' guards.

Everything runs in subprocesses with an environment built from scratch, so a DATABASE_URL or
DJANGO_SETTINGS_MODULE exported for the rest of the suite cannot leak in. (civtech/env.py still reads a
repository-root .env; a developer's .env that sets SECRET_KEY or DATABASE_URL would mask the
missing-variable tests below.)
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = "civtech.settings.production"


def clean_env(**extra: str) -> dict[str, str]:
    """A minimal environment: enough to find programs, plus exactly the variables a test names."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    env.update(extra)
    return env


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = clean_env(
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.db'}",
        TRUSTED_PROXY_COUNT="1",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def django_setup(env: dict[str, str], then: str = "") -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", f"import django; django.setup(); {then}"], env)


# --- docker-compose.yml ---------------------------------------------------------------------------


def service_blocks(config: str) -> dict[str, list[str]]:
    """Split `docker-compose config` output into each service's lines.

    PyYAML is not a project dependency, and the output is normalised YAML (two-space indents, services
    under a top-level `services:` key), so a line scan is enough to find each service's keys.
    """
    blocks: dict[str, list[str]] = {}
    in_services, current = False, None
    for line in config.splitlines():
        if line and not line[0].isspace():
            in_services, current = line.startswith("services:"), None
        elif in_services and line.startswith("  ") and not line.startswith("   "):
            current = line.strip().rstrip(":")
            blocks[current] = []
        elif in_services and current:
            blocks[current].append(line)
    return blocks


@pytest.fixture(scope="module")
def compose():
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("docker-compose is not installed, and CI must validate the compose file")
        pytest.skip("docker-compose is not installed")

    def compose(*args: str) -> subprocess.CompletedProcess:
        # No SECRET_KEY or POSTGRES_PASSWORD in the environment: the file must work with its local defaults.
        return run([binary, "-f", str(REPO_ROOT / "docker-compose.yml"), *args], clean_env())

    return compose


def test_compose_file_is_valid_and_complete(compose):
    result = compose("config")
    assert result.returncode == 0, result.stderr

    blocks = service_blocks(result.stdout)
    assert {"web", "worker", "beat", "db", "redis", "elasticsearch"} <= set(blocks)
    for name in ("web", "db", "redis", "elasticsearch"):
        block = "\n".join(blocks[name])
        assert "    healthcheck:" in block, f"{name} has no healthcheck"
        assert "- NONE" not in block, f"{name}'s healthcheck is disabled"

    services = compose("config", "--services")
    assert services.returncode == 0, services.stderr
    assert set(services.stdout.split()) == set(blocks)

    volumes = compose("config", "--volumes")
    assert volumes.returncode == 0, volumes.stderr
    assert {"pgdata", "esdata", "media"} <= set(volumes.stdout.split())


# --- Production settings --------------------------------------------------------------------------


def test_deploy_checklist_passes(tmp_path):
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", f"--settings={PRODUCTION}"],
        production_env(tmp_path),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


@pytest.mark.parametrize("variable", ["SECRET_KEY", "DATABASE_URL", "TRUSTED_PROXY_COUNT"])
def test_production_refuses_to_start_without(variable, tmp_path):
    result = django_setup(production_env(tmp_path, **{variable: None}))
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_turns_on_transport_security(tmp_path):
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "DEBUG"]
    show = "import json; from django.conf import settings as s; "
    show += f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    result = django_setup(production_env(tmp_path), then=show)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["DEBUG"] is False


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, {"connect_timeout": 5, "options": "-c statement_timeout=25000"}),
        ({"DATABASE_STATEMENT_TIMEOUT": "0", "DATABASE_CONNECT_TIMEOUT": "2"}, {"connect_timeout": 2}),
    ],
)
def test_production_bounds_every_wait_on_postgresql(tmp_path, overrides, expected):
    """Nothing connects here: the settings only have to say how long a connection and a statement may wait."""
    show = "import json; from django.conf import settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS']))"
    env = production_env(tmp_path, DATABASE_URL="postgres://civtech@db.invalid:5432/civtech", **overrides)
    result = django_setup(env, then=show)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == expected
