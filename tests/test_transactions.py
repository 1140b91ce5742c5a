"""on_commit_once: a job a transaction asks for many times runs once after commit, and never after a rollback."""

import pytest
from django.db import transaction

from civtech.transactions import on_commit_once
from tests.factories import make_challenge

pytestmark = pytest.mark.django_db


def test_the_same_key_runs_once_after_commit_and_different_keys_each_run(django_capture_on_commit_callbacks):
    ran = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            on_commit_once("a", lambda: ran.append("a"))
        on_commit_once("b", lambda: ran.append("b"))
        assert ran == []  # nothing before the commit
    assert ran == ["a", "b"]


def test_a_rolled_back_savepoint_takes_its_callback_with_it_so_a_later_call_registers_again(
    django_capture_on_commit_callbacks,
):
    ran = []
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                on_commit_once("a", lambda: ran.append("rolled back"))
                raise RuntimeError
        except RuntimeError:
            pass
        on_commit_once("a", lambda: ran.append("kept"))
    assert ran == ["kept"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_it_runs_at_once():
    ran = []
    on_commit_once("a", lambda: ran.append("a"))
    on_commit_once("a", lambda: ran.append("a"))
    assert ran == ["a", "a"]  # two separate (auto)commits: each one's job runs


def test_after_one_has_run_the_same_key_registers_afresh(django_capture_on_commit_callbacks):
    ran = []
    for label in ("first commit", "second commit"):
        with django_capture_on_commit_callbacks(execute=True):
            on_commit_once("a", lambda label=label: ran.append(label))
            on_commit_once("a", lambda: ran.append("duplicate"))
    assert ran == ["first commit", "second commit"]


def test_one_publish_runs_one_indexing_task_and_one_cache_bump(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_challenge(title="Island ferries")
    with django_capture_on_commit_callbacks() as callbacks:
        page.save_revision().publish()
    markers = [callback.once for callback in callbacks if hasattr(callback, "once")]
    reindex = {id(m) for m in markers if m["key"] == ("discovery.reindex", "challenges.challengepage", page.pk)}
    bumps = {id(m) for m in markers if m["key"] == "civtech.cache.bump_version"}
    assert len(reindex) == 1 and len(bumps) == 1  # one marker each: whichever runs first, the rest do nothing
    assert len(markers) > 2  # (the publish did ask several times)
