import re

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate-limit counters and TOTP replay markers live in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (email enqueues) as the block exits, as they would after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def links_in(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def response_text(response) -> str:
    """The body of a response, whether streamed (CSV/XLSX exports) or not."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def reset_broker_connections(*, registry: bool = True) -> None:
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
    if registry:
        pools.reset()
