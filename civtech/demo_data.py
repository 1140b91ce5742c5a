"""The demo, app by app (issue #19): each app's `demo.py` lists its `DEMO_STEPS`, which `seed_demo` finds through the
app registry and runs in order, and keeps its demo records in YAML files beside it, read with `demo_data` and seeded
through the app's services. A new app adds its demo without touching any other."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


def demo_data(module_file: str, name: str) -> Any:
    """The YAML file `name` in the folder of `module_file` (pass `__file__`), parsed safely."""
    return yaml.safe_load((Path(module_file).parent / name).read_text(encoding="utf-8"))


@dataclass
class DemoRun:
    """One run of `seed_demo`, handed to every step: how big, where to log, and what earlier steps made (by name:
    "users", "organisations", "challenges") for later steps to build on."""

    scale: int
    log: Callable[[str], None]
    made: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoStep:
    """A part of the demo an app contributes (`DEMO_STEPS` in its `demo.py`), run in `order` across all apps: the
    order of the journey, so each step finds what it builds on (10 people, 20 organisations, 30 challenges, 40
    applications, 50 evaluation, 60 stage work, 70 money, 80 impact, 90 the public site's pages)."""

    order: int
    run: Callable[[DemoRun], None]
