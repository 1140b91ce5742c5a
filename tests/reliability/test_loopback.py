"""Every server the tests and benchmarks start listens on loopback only, seen in the kernel's socket tables.

Each is started as its code starts it — the benchmarks' stack (`bench/stack.py`: Redis, gunicorn with the container's
configuration, a Celery worker), the fault tests' Redis and gunicorn, pytest-django's live server — and every socket
its processes (and their children) listen on is looked up in /proc/net/tcp and tcp6 by inode.
"""

import os
import shutil
import socket
import time
from pathlib import Path

import pytest

from bench.stack import Stack

from .conftest import Redis, Server, database_url, free_port, need_postgresql, server_env

LISTEN = "0A"  # TCP state in /proc/net/tcp*
LOOPBACK = {"127.0.0.1", "::1"}


def require_proc() -> None:
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux's /proc to see which sockets a process listens on")


def process_tree(pid: int) -> set[int]:
    """`pid` and every process descended from it (gunicorn's and Celery's workers are its children)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree = {pid}
    while grown := {p for p, parent in parents.items() if parent in tree} - tree:
        tree |= grown
    return tree


def socket_inodes(pids: set[int]) -> set[str]:
    inodes = set()
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:  # a process that exited meanwhile
            continue
    return inodes


def address(hex_address: str) -> str:
    """An address as /proc/net/tcp* writes it (hex, in the kernel's byte order) in the usual notation."""
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    host = socket.inet_ntop(socket.AF_INET6, words)
    return host.removeprefix("::ffff:") if host.startswith("::ffff:") and "." in host else host


def listening(pid: int) -> set[tuple[str, int]]:
    """(address, port) of every TCP socket that `pid` or a descendant listens on."""
    inodes = socket_inodes(process_tree(pid))
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == LISTEN and inode in inodes:
                host, port = local.split(":")
                found.add((address(host), int(port, 16)))
    return found


def assert_loopback_only(name: str, pid: int, port: int | None) -> None:
    sockets = listening(pid)
    if port is not None:
        assert port in {p for _, p in sockets}, f"{name} is not listening on {port}: {sockets}"
    outside = {(host, p) for host, p in sockets if host not in LOOPBACK}
    assert not outside, f"{name} listens beyond loopback: {sorted(outside)}"


def test_the_socket_table_reader_sees_a_server_on_every_interface():
    """The check itself: a socket bound to all interfaces is seen, and reported, as such."""
    require_proc()
    with socket.socket() as wide:
        wide.bind(("0.0.0.0", 0))  # noqa: S104 - the case the check must catch
        wide.listen()
        port = wide.getsockname()[1]
        assert ("0.0.0.0", port) in listening(os.getpid())  # noqa: S104
        with pytest.raises(AssertionError, match="beyond loopback"):
            assert_loopback_only("this test", os.getpid(), port)


@pytest.mark.django_db
def test_the_benchmark_stack_listens_on_loopback_only(tmp_path):
    """bench/stack.py as the deadline rush and the speed benchmark use it: Redis, gunicorn and a Celery worker."""
    require_proc()
    need_postgresql()
    stack = Stack(database="unused", redis_port=free_port(), web_port=free_port(), email_dir=tmp_path,
                  extra_env={"DATABASE_URL": database_url(), "STATIC_ROOT": str(tmp_path / "static")})  # fmt: skip
    try:
        stack.start_redis()
        redis_pid = int((stack.logs / "redis.pid").read_text())
        assert_loopback_only("the benchmarks' Redis", redis_pid, stack.redis_port)

        stack.start_gunicorn(workers=2)  # returns once /healthz answers: the workers have loaded the app
        assert_loopback_only("the benchmarks' gunicorn", stack.processes["gunicorn"].pid, stack.web_port)

        stack.start_worker(concurrency=2)
        worker = stack.processes["worker"].pid
        deadline = time.monotonic() + 60
        while len(process_tree(worker)) < 3:  # its pool processes are forked once it is up
            assert stack.processes["worker"].poll() is None, (stack.logs / "worker.log").read_text()
            assert time.monotonic() < deadline, "the Celery worker did not start its pool within 60s"
            time.sleep(0.2)
        assert_loopback_only("the benchmarks' Celery worker", worker, None)
    finally:
        stack.stop()  # its processes and its Redis (the database is the test's own: not dropped)
        shutil.rmtree(stack.logs, ignore_errors=True)


@pytest.mark.django_db
def test_the_fault_tests_servers_listen_on_loopback_only(own_redis):
    """tests/reliability/conftest.py's Redis and gunicorn (with the container's configuration)."""
    require_proc()
    need_postgresql()
    assert isinstance(own_redis, Redis)
    assert_loopback_only("the fault tests' Redis", own_redis.process.pid, own_redis.port)
    server = Server(server_env(DATABASE_URL=database_url()))
    try:
        assert_loopback_only("the fault tests' gunicorn", server.process.pid, server.port)
    finally:
        server.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_live_server_listens_on_loopback_only(live_server):
    """pytest-django's live server, which the browser tests drive: a thread of this process."""
    require_proc()
    port = int(live_server.url.rsplit(":", 1)[1])
    sockets = {(host, p) for host, p in listening(os.getpid()) if p == port}
    assert sockets and all(host in LOOPBACK for host, _ in sockets), sockets
