"""One entry point for every permission question: `has_permission(action, user, obj)`.

Each app declares its rules in its own `permissions.py` with `@rule("<entity>.<verb>")`; a rule is a
pure function returning `(allowed, reason)`. Views, services, templates and the API all ask here, so
a rule is written once and the reason a person sees when refused is the same everywhere.
"""

from collections.abc import Callable
from typing import Any

Result = tuple[bool, str]
Rule = Callable[[Any, Any], Result]

_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"Permission rule {action!r} is defined twice")
        _RULES[action] = fn
        return fn

    return register


def has_permission(action: str, user, obj=None) -> Result:
    try:
        check = _RULES[action]
    except KeyError:
        raise LookupError(f"No permission rule named {action!r}") from None
    return check(user, obj)


def registered_actions() -> list[str]:
    return sorted(_RULES)


ALLOWED: Result = (True, "")


def denied(reason: str) -> Result:
    return (False, reason)
