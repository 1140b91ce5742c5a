"""What `make run` prints on a fresh machine: the demo's sign-ins, not hundreds of demo emails.

Its own module, outside the seed_demo group: it seeds a database of its own in a subprocess (about a minute), so it
can run on one worker while the other reads the shared seeding (tests/test_seed_demo.py).
"""

import os
import subprocess
import sys
from pathlib import Path


def test_make_run_prints_the_sign_ins_not_hundreds_of_demo_emails(tmp_path):
    """What `make run` shows: the dev settings' console email backend and eager Celery, on a fresh database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civtech.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    root = Path(__file__).resolve().parent.parent
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=root, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr[-2000:]
    printed = result.stdout + result.stderr
    assert "Demo sign-ins" in printed
    assert "Subject:" not in printed  # no demo email printed by the console backend
    assert " succeeded in " not in printed  # nor a log line per eager task
    assert len(printed.splitlines()) < 300
