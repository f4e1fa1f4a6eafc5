"""A real ``thumbs serve`` with an API key, spoken to over raw sockets and through chromium.

Raw sockets send what no HTTP client library will: a huge declared body behind a bad key, a
``Content-Length`` that is not a number, a request line that is not HTTP. The browser checks
that the page and ``/docs`` work under the server's Content-Security-Policy, with nothing
fetched from another host, and that another site cannot frame the page.

A request that is not HTTP at all (a malformed request line, a ``Content-Length`` that is not a
number, two different ``Content-Length``) never reaches the app: the HTTP parser under it
refuses it (:class:`thumbs.server.protocol.GuardedProtocol`, where uvicorn alone would answer
plain text); the tests pin that answer: 400, the one-line JSON error, the connection closed.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers.serving import SERVER_SETTINGS, free_port, stop, wait_healthy

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e

KEY = "s3cret"
GOOD = "A wonderful, moving film with a superb cast. I loved every minute of it."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """``thumbs serve`` with THUMBS_API_KEY set, on a free loopback port: (host, port)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SERVER_SETTINGS} | {"THUMBS_API_KEY": KEY}
    log_path = tmp_path_factory.mktemp("served") / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "thumbs", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            try:
                wait_healthy(f"http://127.0.0.1:{port}", process)  # /v1/health needs no key
            except AssertionError as exc:
                pytest.fail(f"{exc}:\n{log_path.read_text(errors='replace')}")
            yield "127.0.0.1", port
        finally:
            stop(process, grace=10)


def exchange(address: tuple[str, int], request: bytes, seconds: float = 5.0) -> tuple[bytes, bool]:
    """Send ``request`` raw; (every byte answered, whether the server closed the connection)."""
    with socket.create_connection(address, timeout=seconds) as connection:
        connection.sendall(request)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except TimeoutError:
            return answer, False
        return answer, True


def split(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of one raw HTTP/1.1 answer."""
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


# --- raw sockets ------------------------------------------------------------------------------------


def test_head_health_is_200_without_a_body(server: tuple[str, int]) -> None:
    answer, closed = exchange(server, b"HEAD /v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    status, headers, body = split(answer)
    assert (status, body, closed) == (200, b"", True)
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]


def test_a_huge_body_behind_a_bad_key_is_refused_unread(server: tuple[str, int]) -> None:
    # 10 GB declared, 4 bytes sent: the 401 comes at once and the server ends the connection.
    request = (
        b"POST /v1/analyze/batch HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        b'Authorization: Bearer wrong\r\nContent-Length: 10000000000\r\n\r\n{"re'
    )
    started = time.monotonic()
    answer, closed = exchange(server, request)
    status, headers, body = split(answer)
    assert status == 401 and closed and time.monotonic() - started < 2
    assert json.loads(body)["error"].startswith("invalid API key") and headers["www-authenticate"] == "Bearer"


def test_malformed_json_behind_no_key_is_401_not_422(server: tuple[str, int]) -> None:
    request = b'POST /v1/analyze HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"te'
    status, _, body = split(exchange(server, request + b" ")[0])
    assert status == 401 and json.loads(body)["error"].startswith("missing API key")


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"NOT HTTP AT ALL\r\n\r\n",
        b"POST /v1/analyze HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n",
        b"GET /v1/health HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    ],
    ids=["request line", "Content-Length abc", "two Content-Length"],
)
def test_what_is_not_http_gets_400_in_one_line_and_the_connection_closed(
    server: tuple[str, int], request_bytes: bytes
) -> None:
    answer, closed = exchange(server, request_bytes)
    status, headers, body = split(answer)
    assert status == 400 and closed and headers["connection"] == "close"
    assert headers["content-type"] == "application/json" and b"\n" not in body
    assert json.loads(body) == {
        "error": "not a valid HTTP/1.1 request (its request line, a header, or a Content-Length that is not one number)"
    }


def test_an_unknown_path_is_one_json_line_with_the_headers(server: tuple[str, int]) -> None:
    answer, _ = exchange(server, b"GET /nowhere HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    status, headers, body = split(answer)
    assert status == 404 and headers["content-type"] == "application/json" and set(json.loads(body)) == {"error"}
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"


# --- the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Browser]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def open_page(browser: Browser, url: str) -> tuple[Page, list[str], list[str]]:
    """A fresh page at ``url``: (page, console errors and page errors, every URL it requested)."""
    page = browser.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    requested: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    return page, problems, requested


def test_docs_render_offline_under_the_policy(server: tuple[str, int], browser: Browser) -> None:
    base = f"http://{server[0]}:{server[1]}"
    page, problems, requested = open_page(browser, base + "/docs")
    page.wait_for_selector(".opblock")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/v1/analyze", "/v1/analyze/batch", "/v1/health", "/v1/model"} <= {p.strip() for p in paths}
    assert not problems, problems  # a CSP violation is a console error
    assert all(url.startswith(base + "/") for url in requested), requested
    page.close()


def test_page_asks_for_the_key_and_works_under_the_policy(server: tuple[str, int], browser: Browser) -> None:
    base = f"http://{server[0]}:{server[1]}"
    page, problems, requested = open_page(browser, base + "/")
    page.get_by_label("Review text").fill(GOOD)
    page.get_by_role("button", name="Analyze").click()
    page.locator("#key-form").wait_for(state="visible")
    assert "missing API key" in page.locator("#analyze-status").inner_text()
    page.get_by_label("API key").fill(KEY)
    page.get_by_role("button", name="Use key").click()
    # a locator's wait, not wait_for_function: a string predicate is evaluated in the page, where the CSP
    # (no 'unsafe-eval') refuses it whenever the answer is not already there on the first poll
    page.get_by_test_id("verdict").filter(has_text=re.compile(r"\S")).wait_for()
    assert page.get_by_test_id("verdict").inner_text().strip().lower().endswith("positive")
    # The phrases in the text and their popover work under the policy too (styles set through the CSSOM only).
    phrase = page.locator('.phrase[tabindex="0"]').first
    phrase.hover()
    tip = page.get_by_test_id("phrase-tip")
    tip.wait_for(state="visible")
    assert re.search(r"[+\u2212]\d\.\d{3} toward (positive|negative)", tip.inner_text())
    page.get_by_test_id("meter-fill").filter(has_text="positive").wait_for()
    unexpected = [p for p in problems if "401" not in p]  # the first, keyless request's 401 is logged
    assert not unexpected, unexpected
    assert all(url.startswith(base + "/") for url in requested), requested
    page.close()


def test_another_site_cannot_frame_the_page(server: tuple[str, int], browser: Browser) -> None:
    base = f"http://{server[0]}:{server[1]}"
    page = browser.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    page.set_content(f'<iframe id="f" src="{base}/"></iframe>')
    page.wait_for_timeout(1500)
    frame = page.frame_locator("#f")
    assert frame.locator("#review").count() == 0  # the page did not load inside the frame
    assert any("frame" in message.lower() for message in refused), refused
    page.close()
