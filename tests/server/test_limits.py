"""The connection limits of :mod:`thumbs.server.protocol`, against a real ``thumbs serve`` on loopback.

Hostile clients (a header bomb, too many fields, a slowloris, a slow body, an
idle connection, more connections than the limit) get a one-line JSON refusal
or a closed connection within the documented bound, and the server keeps
answering everyone else with flat memory.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.serving import free_port, get_health, start_serve, stop, wait_healthy
from thumbs.server.protocol import (
    BODY_SECONDS,
    HEADERS_SECONDS,
    KEEP_ALIVE_SECONDS,
    MAX_HEADER_BYTES,
    MAX_HEADER_COUNT,
    MAX_PIPELINED,
)

pytestmark = pytest.mark.e2e

pytest.importorskip("uvicorn")

#: Connections the server under test holds at once (small, so the test can pass it cheaply).
LIMIT = 8
#: Slack on every deadline: the server's timer plus this machine's scheduling.
SLACK = 3.0


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    process = start_serve("--port", str(port), "--no-access-log", "--max-connections", str(LIMIT))
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        yield process, port
    finally:
        stop(process)


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=BODY_SECONDS + 2 * SLACK)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes (a reset ends it too)."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def status_and_error(response: bytes) -> tuple[int, dict[str, str], str]:
    """The status, the headers and the ``error`` of a refusal; asserts the body is one JSON line."""
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    assert b"\n" not in body
    return int(lines[0].split()[1]), headers, json.loads(body)["error"]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def header_bomb(port: int, total: int = 20_000_000) -> tuple[float, bytes]:
    """Send up to ``total`` bytes of headers while reading; seconds until the answer, and the answer."""
    sock = connect(port)
    started = time.monotonic()
    sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
    sock.setblocking(False)
    answer, sent = b"", 0
    line = b"X-Bomb: " + b"a" * 60_000 + b"\r\n"
    while sent < total and time.monotonic() - started < 10:
        try:
            sent += sock.send(line)
        except BlockingIOError:
            time.sleep(0.005)
        except OSError:
            break
        try:
            answer += sock.recv(65536)
            if answer:
                break
        except BlockingIOError:
            pass
    sock.setblocking(True)
    sock.settimeout(5)
    try:
        answer += read_until_closed(sock)
    except OSError:
        pass
    sock.close()
    return time.monotonic() - started, answer


def test_a_header_bomb_gets_431_at_once_and_others_are_served(server: tuple[subprocess.Popen[str], int]) -> None:
    _, port = server
    seconds, answer = header_bomb(port)
    status, headers, error = status_and_error(answer)
    assert status == 431 and headers["connection"] == "close"
    assert f"{MAX_HEADER_BYTES // 1024} KiB" in error
    assert seconds < 2
    assert get_health(f"http://127.0.0.1:{port}") == 200


def test_too_many_header_fields_get_431(server: tuple[subprocess.Popen[str], int]) -> None:
    _, port = server
    with connect(port) as sock:
        fields = b"".join(b"X-F%d: 1\r\n" % k for k in range(MAX_HEADER_COUNT + 1))
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n")
        status, _, error = status_and_error(read_until_closed(sock))
    assert status == 431 and "header fields" in error


def test_headers_just_under_the_limit_are_served(server: tuple[subprocess.Popen[str], int]) -> None:
    _, port = server
    with connect(port) as sock:
        big = b"X-Big: " + b"a" * (MAX_HEADER_BYTES - 1000) + b"\r\n"
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + big + b"\r\n")
        assert read_until_closed(sock).startswith(b"HTTP/1.1 200")


def trickle(port: int, start: bytes, byte: bytes, out: dict[str, tuple[float, bytes]], key: str) -> None:
    """Send ``start``, then ``byte`` once a second until the server answers; note the seconds and the answer."""
    with connect(port) as sock:
        started = time.monotonic()
        sock.sendall(start)
        sock.settimeout(1.0)
        answer = b""
        while time.monotonic() - started < BODY_SECONDS + 2 * SLACK:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                try:
                    sock.sendall(byte)
                except OSError:
                    break
                continue
            except ConnectionResetError:
                break
            if not chunk:
                break
            answer += chunk
        out[key] = (time.monotonic() - started, answer)


def test_slow_headers_and_a_slow_body_get_408_within_the_bound(server: tuple[subprocess.Popen[str], int]) -> None:
    _, port = server
    out: dict[str, tuple[float, bytes]] = {}
    body_start = (
        b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    )
    threads = [
        threading.Thread(target=trickle, args=(port, b"GET /v1/health HTTP/1.1\r\n", b"X", out, "headers")),
        threading.Thread(target=trickle, args=(port, body_start + b'{"text": "', b"a", out, "body")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(BODY_SECONDS + 3 * SLACK)
    for key, bound in (("headers", HEADERS_SECONDS), ("body", BODY_SECONDS)):
        seconds, answer = out[key]
        status, _, error = status_and_error(answer)
        assert status == 408 and key in error
        assert bound - 1 <= seconds <= bound + SLACK, (key, seconds)


def test_an_idle_connection_is_closed(server: tuple[subprocess.Popen[str], int]) -> None:
    _, port = server
    with connect(port) as never_sends, connect(port) as keeps_alive:
        keeps_alive.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        response = b""
        while not response.endswith(b"}"):  # the health answer is one JSON object
            response += keeps_alive.recv(65536)
        assert response.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert read_until_closed(never_sends) == b""
        assert read_until_closed(keeps_alive) == b""
        assert time.monotonic() - started <= KEEP_ALIVE_SECONDS + SLACK


def test_connections_past_the_limit_get_503_json_with_retry_after(server: tuple[subprocess.Popen[str], int]) -> None:
    _, port = server
    held = [connect(port) for _ in range(LIMIT)]
    try:
        time.sleep(0.2)
        with connect(port) as extra:
            extra.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            status, headers, error = status_and_error(read_until_closed(extra))
        assert status == 503 and int(headers["retry-after"]) > 0 and "busy" in error
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)
    assert get_health(f"http://127.0.0.1:{port}") == 200


def test_memory_stays_flat_under_repeated_attacks(server: tuple[subprocess.Popen[str], int]) -> None:
    process, port = server
    header_bomb(port, total=2_000_000)  # warm up: the first refusal allocates its code paths
    before = rss_kib(process.pid)
    for _ in range(20):
        header_bomb(port, total=5_000_000)
    for _ in range(5):
        socks = [connect(port) for _ in range(LIMIT * 4)]
        for sock in socks:
            try:
                sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 20_000)
            except OSError:
                pass
        for sock in socks:
            sock.close()
    time.sleep(0.5)
    assert rss_kib(process.pid) - before < 20_000  # under 20 MB after ~100 MB of hostile headers
    assert get_health(f"http://127.0.0.1:{port}") == 200


def test_a_client_that_pipelines_without_reading_is_cut_off(server: tuple[subprocess.Popen[str], int]) -> None:
    _, port = server
    with connect(port) as sock:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n" * (MAX_PIPELINED * 4))
        answers = read_until_closed(sock)
    assert answers.count(b"HTTP/1.1 200") <= MAX_PIPELINED + 1  # without the cap: all 64, then idle
    assert get_health(f"http://127.0.0.1:{port}") == 200
