"""`on_commit_once`: an after-commit job that a transaction asks for many times runs once.

Publishing a page saves it several times, and every save fires the same signals; without this, one publish queued
three identical search-indexing tasks and three cache-version bumps.
"""

from collections.abc import Callable, Hashable
from typing import Any, Protocol, cast

from django.db import transaction


class _MarkedCallback(Protocol):
    """The callback registered: a function carrying the `once` marker it shares with the others of its key."""

    once: dict[str, Any]

    def __call__(self) -> None: ...


def on_commit_once(key: Hashable, func: Callable[[], None], *, robust: bool = False) -> None:
    """`transaction.on_commit(func)`, but of the callbacks with the same `key` waiting together only one runs.

    Every call still registers its callback, so a savepoint rolled back takes only its own with it; callbacks that
    join a waiting one share a `once` marker, and the first of them to run does the work for all.
    """
    connection = transaction.get_connection()
    waiting = (getattr(callback, "once", None) for _, callback, _ in connection.run_on_commit)
    once = next((o for o in waiting if o and o["key"] == key and not o["done"]), None)
    if once is None or not connection.in_atomic_block:
        once = {"key": key, "done": False}

    def run_once() -> None:
        if not once["done"]:
            once["done"] = True
            func()

    callback = cast(_MarkedCallback, run_once)
    callback.once = once
    transaction.on_commit(callback, robust=robust)
