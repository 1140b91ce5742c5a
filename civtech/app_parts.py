"""What each of our apps contributes to the composition on top (issue #19): the demo (`demo.py`, `demo_*.py`), what
it holds about a person (`personal_data.py`) and its sections of the account dashboard (`dashboard.py`). The
composition asks the app registry for them, so a new app adds its part in its own folder and nothing else changes.

Only our apps are searched (those in the project's folder): libraries' apps are not ours to compose."""

import pkgutil
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings


def our_app_configs() -> list:
    return [config for config in apps.get_app_configs() if Path(config.path).parent == Path(settings.BASE_DIR)]


def app_parts(module: str, attribute: str, *, prefixed: bool = False) -> list[Any]:
    """Every item of `attribute` (a list) in each app's `module`, in the order of INSTALLED_APPS; with `prefixed`,
    modules named `<module>_*` count too (a big demo split in several files)."""
    parts: list[Any] = []
    for config in our_app_configs():
        for found in pkgutil.iter_modules([config.path]):
            if found.name == module or (prefixed and found.name.startswith(f"{module}_")):
                parts += getattr(import_module(f"{config.name}.{found.name}"), attribute, [])
    return parts
