"""The one place that reads the process environment.

Every setting that can vary between machines is declared here with its default, so the embedded
defaults (SQLite, eager Celery, database search, local media, console email) are visible at a glance.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is a convenience for developers; real deployments set variables in the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
