"""``thumbs serve`` as a user runs it: a real process on a loopback port.

Option mistakes exit 2 with one line; two workers each listen on their own
socket, survive the loss of one worker, and stop cleanly on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.serving import (
    STARTUP_SECONDS,
    free_port,
    get_health,
    start_serve,
    stop,
    wait_healthy,
)

#: Every test here starts processes (the CLI, workers, a server or the browser).
pytestmark = pytest.mark.e2e

pytest.importorskip("uvicorn")


def listeners(port: int) -> int:
    """Sockets listening on 127.0.0.1:port (Linux: /proc/net/tcp, state 0A)."""
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for line in lines if line.split()[1] == f"0100007F:{port:04X}" and line.split()[3] == "0A")


def workers_of(pid: int) -> list[int]:
    """Child processes of ``pid`` that serve (not multiprocessing's resource tracker)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children if "resource_tracker" not in Path(f"/proc/{c}/cmdline").read_text()]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--workers", "0"], "--workers must be at least 1"),
        (["--max-connections", "0"], "--max-connections must be at least 1"),
        (["--port", "70000"], "--port must be between"),
        (["--port", "0", "--workers", "2"], "one worker only"),
        (["--model", "no/such/file.thumbs"], "no/such/file.thumbs"),
    ],
)
def test_option_mistakes_exit_2_with_one_line(args: list[str], says: str) -> None:
    result = start_serve(*args)
    _, err = result.communicate(timeout=60)
    assert result.returncode == 2
    assert says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_port_in_use_exits_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = start_serve("--port", str(port))
        _, err = result.communicate(timeout=60)
    assert result.returncode == 2 and f"127.0.0.1:{port}" in err and "--port" in err


@pytest.fixture()
def two_workers() -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    server = start_serve("--port", str(port), "--workers", "2", "--no-access-log")
    try:
        wait_healthy(f"http://127.0.0.1:{port}", server)
        yield server, port
    finally:
        stop(server)


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_two_workers_each_listen_and_stop_on_sigterm(two_workers: tuple[subprocess.Popen[str], int]) -> None:
    server, port = two_workers
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while listeners(port) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert listeners(port) == 2  # one socket per worker, the kernel spreads connections
    assert all(get_health(url) == 200 for _ in range(20))
    server.send_signal(signal.SIGTERM)
    server.communicate(timeout=30)
    assert server.returncode == 0
    assert listeners(port) == 0


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_a_worker_that_dies_is_replaced(two_workers: tuple[subprocess.Popen[str], int]) -> None:
    server, port = two_workers
    first = workers_of(server.pid)
    assert len(first) == 2
    os.kill(first[0], signal.SIGKILL)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        now = workers_of(server.pid)
        if len(now) == 2 and first[0] not in now and listeners(port) == 2:
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"no new worker: {workers_of(server.pid)}")
    assert all(get_health(f"http://127.0.0.1:{port}") == 200 for _ in range(10))


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")
def test_workers_stop_when_the_supervisor_is_killed(two_workers: tuple[subprocess.Popen[str], int]) -> None:
    server, port = two_workers
    workers = workers_of(server.pid)
    server.kill()  # SIGKILL: the supervisor cannot stop its workers itself
    server.wait()
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert listeners(port) == 0
