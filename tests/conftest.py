import contextlib
import io
import os
import re

import pytest
from django.core.cache import cache

# --- Parallel runs (pytest-xdist) -------------------------------------------------------------------------------------
# `make test` runs one worker per core with `--dist loadgroup`: the tests of one xdist_group run on one worker, one
# after another. Each of these loads the whole machine or breaks a neighbour doing the same, so they share the group
# ALONE and never run beside each other (an ordinary test may still run on the other worker meanwhile).
ALONE = "alone"
ALONE_PATHS = {
    "tests/reliability/": "fault injection: their own redis-server, gunicorn and Celery workers; PostgreSQL "
    "connections cut, stalled and terminated; and limits on how fast each failure must be answered",
    "tests/applications/test_concurrency.py": "the deadline rush: 50 threads released at once, each with its own "
    "PostgreSQL connection; two rushes at once would pass PostgreSQL's max_connections (100)",
}
ALONE_MARKS = {"worker": "a real Celery worker process, which must deliver within its deadline"}


# The longest single tests (a minute or more each: `--durations` in every run), sent to the workers first. xdist's
# loadgroup sends the groups with the most tests first and then the rest in collection order; a long test sent last
# keeps one worker busy while the other has finished (the longest first is how to share out unequal jobs).
LONGEST_FIRST = (
    "tests/hostile/test_query_sweep.py::test_no_query_string_makes_a_500",
    "tests/browser/test_accessibility_sweep.py",
    "tests/test_make_run.py",
    "tests/hostile/test_form_sweep.py::test_every_post_form_in_the_world_is_swept",
)


class LongestFirst:
    """Orders last of all (after pytest-django puts the transactional tests at the end), so nothing undoes it."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # stable: the rest keep their order


def pytest_configure(config):
    config.pluginmanager.register(LongestFirst(), "civtech-longest-first")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    """Mark what runs alone, and mark everything in tests/reliability `reliability` (left out of `make test-fast`)."""
    for item in items:
        # schemathesis gives every operation's test the function's bare node id; xdist schedules by node id, so it
        # would run one of them and drop the rest. Name each after its operation, as pytest names parameters.
        label = getattr(item, "operation_label", None)
        if label and not item.nodeid.endswith("]"):
            set_node_id(item, f"{item.nodeid}[{label}]")
        if _flushes_the_database(item) and not _restores_the_migrations_data(item):
            raise pytest.UsageError(
                f"{item.nodeid} is transactional without serialized_rollback=True: its flush would rebuild the content "
                "types under new ids and every later transactional test on its worker would fail to restore the "
                "migrations' data (mark it django_db(transaction=True, serialized_rollback=True))"
            )
        if item.nodeid.startswith("tests/reliability/"):
            item.add_marker(pytest.mark.reliability)
        if item.nodeid.startswith(tuple(ALONE_PATHS)) or any(item.get_closest_marker(m) for m in ALONE_MARKS):
            item.add_marker(pytest.mark.xdist_group(ALONE))
        # What xdist's --dist loadgroup does itself, but cannot on pytest 9.2 (see set_node_id): a test in a group
        # is scheduled by the "@group" at the end of its node id.
        groups = sorted(
            {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
        )
        if groups and getattr(config.option, "loadgroup", False) and "@" not in item.nodeid:
            set_node_id(item, f"{item.nodeid}@{'_'.join(groups)}")


def set_node_id(item, nodeid: str) -> None:
    """pytest 9.2 keeps a node's id in `_id` (a NodeId); plugins written for earlier versions set `_nodeid`, which
    no longer changes it (xdist's loadgroup suffix and schemathesis's per-operation names are both lost)."""
    if hasattr(item, "_id"):
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(nodeid)
    else:
        item._nodeid = nodeid


def _flushes_the_database(item) -> bool:
    """A transactional test: pytest-django empties every table when it ends."""
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    return transactional or bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _restores_the_migrations_data(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("serialized_rollback"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, put back what the migrations created (groups, the site, the home page…).

    pytest-django empties the database as a transactional test ends, and a `serialized_rollback` test reloads the
    migrations' data only as it starts; run in one process, pytest-django orders transactional tests last, so no
    ordinary test ever saw the empty database. Under xdist a worker runs what it is sent, in groups (tests/reliability
    mixes both kinds), so an ordinary test could follow a transactional one and find the home page gone.
    """
    result = yield
    if nextitem is not None and _flushes_the_database(item) and not _flushes_the_database(nextitem):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for alias in connections:
                connection = connections[alias]
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate-limit counters and TOTP replay markers live in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    """Django's test client whose force_login also records the second factor, as allauth's sign-in does."""
    from tests.clients import SignInClient

    return SignInClient()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (email enqueues) as the block exits, as they would after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@contextlib.contextmanager
def built_for_module(django_db_blocker, build):
    """Build test data once for a whole module (in a module-scoped fixture) and yield what `build()` returned.

    It is built inside a transaction that is rolled back when the module ends, and pytest-django runs each test
    (`django_db`, not transactional) in a savepoint within it: every test sees the data exactly as built, whatever
    the one before it changed, and other modules still start from an empty database. A world built through the
    services costs seconds; a module of thirty tests used to build it thirty times. Tests must not rely on changes
    to the Python objects returned (only the database is reset between them).
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build()
        finally:
            transaction.set_rollback(True)


@contextlib.contextmanager
def seeded_for_module(django_db_blocker, *options: str):
    """Run seed_demo once for a whole test module and yield what it printed (see built_for_module).

    Seeding goes through every service (some 25,000 queries, 15 s on a quiet machine), which each test that read the
    demo used to pay. Keep such a module on one xdist worker (an `xdist_group` of its own), or each worker that gets
    one of its tests seeds again.
    """
    from django.core.management import call_command

    printed = io.StringIO()

    def seed() -> str:
        call_command("seed_demo", *options, stdout=printed)
        return printed.getvalue()

    with built_for_module(django_db_blocker, seed) as output:
        yield output


def links_in(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def response_text(response) -> str:
    """The body of a response, whether streamed (CSV/XLSX exports) or not."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def reset_broker_connections() -> None:
    """Forget pooled broker connections, so the next publish uses the broker now configured.

    Celery keeps a connection pool on the app, and kombu keeps producer pools in a process-wide registry keyed
    by connection; a test that closed one would leave the next test publishing into a closed pool. (Celery has no
    public call for this: `app.close()` would also deregister the app from the shared tasks.)
    """
    from kombu import pools

    from civtech.celery import app

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@contextlib.contextmanager
def celery_publishing_to(broker_url: str, queue: str | None = None):
    """Make this process publish tasks (not run them eagerly) to `broker_url`, on `queue` if given.

    Celery reads CELERY_BROKER_URL from the environment before its configuration, so both change: setting only
    `conf.broker_url` would leave a CI run publishing to the shared Redis the environment names.
    """
    from civtech.celery import app

    conf = app.conf
    previous = os.environ.get("CELERY_BROKER_URL"), conf.task_always_eager, conf.task_default_queue, conf.broker_url
    os.environ["CELERY_BROKER_URL"] = broker_url
    conf.task_always_eager, conf.broker_url = False, broker_url
    conf.task_default_queue = queue or conf.task_default_queue
    reset_broker_connections()
    try:
        yield
    finally:
        env, conf.task_always_eager, conf.task_default_queue, conf.broker_url = previous
        if env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = env
        reset_broker_connections()
