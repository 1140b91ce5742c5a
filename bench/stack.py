"""The production-shaped stack on loopback, for the benchmarks: a fresh PostgreSQL database, our own Redis, gunicorn
with the container's configuration (`docker/gunicorn.conf.py`) and a real Celery worker.

Everything runs `bench.settings_bench` — the production settings plus plain-http cookies and the ceiling URL — and
every process started here is stopped by `Stack.stop()` (also on Ctrl-C, through the context manager).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG = "postgres://postgres@127.0.0.1:5432"
STATIC_ROOT = Path(tempfile.gettempdir()) / "civtech-bench-static"


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql], check=True, cwd=ROOT
    )


class Stack:
    def __init__(
        self,
        *,
        database: str,
        redis_port: int = 6390,
        web_port: int = 8390,
        email_dir: Path | None = None,
        extra_env: dict | None = None,
    ):
        self.database = database
        self.redis_port = redis_port
        self.web_port = web_port
        self.email_dir = email_dir
        self.logs = Path(tempfile.mkdtemp(prefix=f"civtech-{database}-logs-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
            "PYTHONPATH": str(ROOT),
            "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
            "DATABASE_URL": f"{PG}/{database}",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{web_port}",
            "SECURE_SSL_REDIRECT": "false",
            "TRUSTED_PROXY_COUNT": "0",  # clients connect straight to gunicorn on loopback
            "STATIC_ROOT": str(STATIC_ROOT),
            "ELASTICSEARCH_URL": "",
            "LOG_LEVEL": "WARNING",
            **({"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(email_dir)}
               if email_dir else {}),
            **(extra_env or {}),
        }  # fmt: skip
        self.base_url = f"http://127.0.0.1:{web_port}"

    # --- lifecycle ---------------------------------------------------------------------------------------------
    def __enter__(self):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        return self

    def __exit__(self, *exc):
        self.stop()

    def create_database(self) -> None:
        psql(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        psql(f"CREATE DATABASE {self.database}")

    def manage(self, *args: str, quiet: bool = True) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL if quiet else None,
        )  # fmt: skip

    def collectstatic(self) -> None:
        if not (STATIC_ROOT / "staticfiles.json").exists():
            self.manage("collectstatic", "--noinput")

    def start_redis(self) -> None:
        # Loopback only: without --bind, redis-server with no configuration file listens on every interface.
        subprocess.run(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--daemonize", "yes", "--pidfile", str(self.logs / "redis.pid"),
             "--logfile", str(self.logs / "redis.log")],
            check=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ping = subprocess.run(["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True, text=True)
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("our Redis did not start")

    def stop_redis(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], capture_output=True)

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def start_gunicorn(self, workers: int | None = None) -> None:
        """The container's command, bound to loopback instead of 0.0.0.0:8000 (the command line wins)."""
        command = [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "docker" / "gunicorn.conf.py"),
                   "--bind", f"127.0.0.1:{self.web_port}", "civtech.wsgi:application"]  # fmt: skip
        if workers:
            command[1:1] = ["--workers", str(workers)]
        self._spawn("gunicorn", command)
        self.wait_until_up("/healthz")

    def start_worker(self, concurrency: int = 2) -> None:
        self._spawn(
            "worker",
            [str(VENV_BIN / "celery"), "-A", "civtech", "worker", f"--concurrency={concurrency}", "--loglevel=WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
        )  # fmt: skip

    def wait_until_up(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base_url + path, timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        return
            except OSError:
                pass
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited: see {self.logs / (name + '.log')}")
            time.sleep(0.25)
        raise RuntimeError(f"{self.base_url}{path} did not answer within {timeout}s")

    def stop_process(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def stop(self) -> None:
        for name in list(self.processes):
            self.stop_process(name)
        self.stop_redis()

    def drop_database(self) -> None:
        psql(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        shutil.rmtree(self.logs, ignore_errors=True)
