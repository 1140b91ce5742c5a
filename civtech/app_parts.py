"""What each of our apps contributes to the composition on top (issue #19): the demo (`demo.py`, `demo_*.py`), what
it holds about a person (`personal_data.py`) and its sections of the account dashboard (`dashboard.py`). The
composition asks the app registry for them, so a new app adds its part in its own folder and nothing else changes.

Only our apps are searched (those in the project's folder): libraries' apps are not ours to compose."""

import pkgutil
from functools import cache
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings


def our_app_configs() -> list:
    # Resolved on both sides, so a checkout reached through a symbolic link (a release directory) is still ours.
    project = Path(settings.BASE_DIR).resolve()
    return [config for config in apps.get_app_configs() if Path(config.path).resolve().parent == project]


@cache
def _modules(module: str, prefixed: bool) -> tuple[ModuleType, ...]:
    """The apps' modules, found once per process (the folders do not change while it runs)."""
    found = []
    for config in our_app_configs():
        for info in pkgutil.iter_modules([config.path]):
            if info.name == module or (prefixed and info.name.startswith(f"{module}_")):
                found.append(import_module(f"{config.name}.{info.name}"))
    return tuple(found)


def app_parts(module: str, attribute: str, *, prefixed: bool = False) -> list[Any]:
    """Every item of `attribute` (a list) in each app's `module`, in the order of INSTALLED_APPS; with `prefixed`,
    modules named `<module>_*` count too (a big demo split in several files). The attribute is read on every call."""
    return [part for found in _modules(module, prefixed) for part in getattr(found, attribute, [])]
