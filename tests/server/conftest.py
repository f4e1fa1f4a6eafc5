"""What the server tests share: the default model, loaded once for the folder; and, for the tests that
drive the web page, one ``thumbs serve`` and one headless chromium per test module, and a fresh page.

Without Playwright the browser fixture skips; without ``/usr/bin/chromium`` the ``chromium_path``
fixture (tests/conftest.py) skips, or fails under ``THUMBS_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.browser import CHROMIUM_ARGS, UI_TIMEOUT
from tests.helpers.serving import free_port, start_serve, stop, wait_healthy
from thumbs.pipeline.model import Model, load_model

try:
    from playwright import sync_api
except ImportError:  # the browser fixture skips
    sync_api = None  # type: ignore[assignment]


@pytest.fixture(scope="session")
def model() -> Model:
    return load_model()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``thumbs serve`` on a free loopback port; yields its base URL once /v1/health answers 200."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    with log_path.open("wb") as log:
        process = start_serve("--host", "127.0.0.1", "--port", str(port), output=log, text=False)
        base = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_healthy(base, process)
            except AssertionError as exc:
                pytest.fail(f"{exc}:\n{log_path.read_text(errors='replace')}")
            yield base
        finally:
            stop(process, grace=10)


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[sync_api.Browser]:
    """One headless chromium for this module (never a Playwright-downloaded one); Playwright stops with it, so its event loop does not outlive these tests."""
    if sync_api is None:
        pytest.skip("playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: sync_api.Browser, server: str) -> Iterator[sync_api.Page]:
    """A fresh page at ``/`` (desktop size), failing the test on any JavaScript error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/")
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
