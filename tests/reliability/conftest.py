"""Real processes for the fault tests: our own Redis, gunicorn with the container's configuration, a Celery worker
and a TCP proxy in front of PostgreSQL that a test can cut. Nothing here touches the shared Redis on 6379."""

import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def require(condition: bool, reason: str) -> None:
    """Skip without the service; in CI, where PostgreSQL and Redis exist, a missing one is a failure."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the reliability tests: {reason}")
        pytest.skip(reason)


def need_postgresql() -> None:
    require(connection.vendor == "postgresql", "server processes must share the test database: set DATABASE_URL")


# Each xdist worker takes its ports from its own block below the kernel's ephemeral range (32768 and up), so a port
# one worker has chosen, and its server has not bound yet (or a cut proxy will bind again), is never handed to another
# worker, nor to an outgoing connection. The random start keeps two runs on one machine apart too.
PORT_BLOCK = 1000
_worker_index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
_port_base = 20000 + (_worker_index % 12) * PORT_BLOCK
_port_offset = random.randrange(PORT_BLOCK)


def free_port() -> int:
    global _port_offset
    for _ in range(PORT_BLOCK):
        _port_offset = (_port_offset + 1) % PORT_BLOCK
        port = _port_base + _port_offset
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {_port_base}–{_port_base + PORT_BLOCK - 1}")


def database_url(host: str | None = None, port: int | None = None) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{host or db['HOST'] or '127.0.0.1'}:{port or db['PORT'] or 5432}/{db['NAME']}"


def get(url: str, timeout: float = 10) -> tuple[int, str, float]:
    """(status, body, seconds) without raising on an error status."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), time.monotonic() - started


class Redis:
    """Our own throwaway redis-server, which a test may stop and start again (without persistence)."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis():
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    redis = Redis()
    redis.start()
    yield redis
    redis.stop()


class Server:
    """gunicorn as the container runs it (docker/gunicorn.conf.py), on a free loopback port."""

    def __init__(self, env: dict, workers: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.devnull, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "docker" / "gunicorn.conf.py"), "--workers",
             str(workers), "--bind", f"127.0.0.1:{self.port}", "--access-logfile", "/dev/null",
             "civtech.wsgi:application"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        # The port accepts connections as soon as gunicorn binds it, before any worker has loaded the app, which takes
        # many seconds on a loaded machine (and the first request would wait for it). Wait for the app's first answer
        # (any status), so the limits a test sets measure the fault it injects, not the boot.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stderr.read()
            try:
                get(self.url + "/healthz", timeout=max(1.0, deadline - time.monotonic()))
                return
            except OSError:  # not listening yet (refused), or no answer before the deadline
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer within 90s")

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, stderr = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, stderr = self.process.communicate()
        self.log.close()
        return stderr


def server_env(**overrides) -> dict:
    """The test settings (no collected static files needed) against the test database, with production's
    persistent database connections (CONN_MAX_AGE=60), which is what a dropped connection tests."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civtech.settings.test",
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "ELASTICSEARCH_URL": "",
        "PUBLIC_CACHE_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
        **overrides,
    }


class Proxy:
    """A TCP proxy to PostgreSQL that can be cut (every connection closed, new ones refused), stalled (every
    connection closed, new ones accepted and never answered, like a database that has hung) and restored."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.listener = None
        self.lock = threading.Lock()
        self.stalled = False

    def start(self, stalled: bool = False) -> None:
        self.stalled = stalled
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.stalled:  # hold the connection open and say nothing
                with self.lock:
                    self.sockets.append(client)
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() alone would not
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets.clear()

    def stall(self) -> None:
        self.cut()
        self.start(stalled=True)
