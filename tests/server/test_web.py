"""The web page at ``/`` end to end: ``thumbs serve`` driven by Debian's chromium through Playwright.

One server and one headless browser for the whole module. Without Playwright, or without
``/usr/bin/chromium``, the tests skip; with ``THUMBS_REQUIRE_BROWSER=1`` (CI) a missing
browser fails instead. Playwright never downloads a browser here: it is pointed at chromium.
httpx calls pass ``trust_env=False`` so that loopback requests never go through a proxy.

The reviews are written for these tests.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.serving import free_port, start_serve, stop, wait_healthy

#: Every test here starts processes (the CLI, workers, a server or the browser).
pytestmark = pytest.mark.e2e

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Milliseconds Playwright waits for an element or an event.
UI_TIMEOUT = 15_000

POSITIVE_REVIEW = (
    "I loved this film from the first scene to the last. "
    "The two leads are wonderful together, warm and funny and completely believable. "
    "The story follows a retired baker who opens a tiny cinema in her village. "
    "Every frame is beautifully shot, and the score is a delight. "
    "It is a moving, generous and charming picture, one of the best I have seen this year."
)
NEGATIVE_REVIEW = (
    "This was a dull, lifeless mess and a waste of two hours. "
    "The plot makes no sense and the dialogue is painfully stupid. "
    "A detective chases a thief across three cities. "
    "The acting is wooden, the jokes fall flat and the ending is awful. "
    "Avoid it; it is boring, lazy and badly made."
)
#: Batch rows: the second has a comma and quotes inside, the third a line break.
BATCH_ROWS = [
    ("r1", "A superb, heartfelt film with a brilliant cast. I enjoyed every minute."),
    ("r2", 'The "comedy" is awful, the pacing is dreadful, and I was bored stiff. Terrible.'),
    ("r3", "Warm, witty and wonderfully acted.\nA real gem, and a joy to watch."),
    ("r4", "Stupid, tedious and ugly; the worst film I have sat through in years."),
]


# --- fixtures -----------------------------------------------------------------------------------


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


def _analyze_with_api(server: str, text: str) -> dict:
    response = httpx.post(f"{server}/v1/analyze", json={"text": text}, timeout=30, trust_env=False)
    response.raise_for_status()
    return response.json()


def _analyze_on_page(page: sync_api.Page, text: str) -> None:
    page.get_by_label("Review text").fill(text)
    page.get_by_role("button", name="Analyze").click()
    sync_api.expect(page.get_by_test_id("verdict")).not_to_be_empty()


def _stars_shown(page: sync_api.Page) -> float:
    match = re.search(r"(\d+(?:\.\d+)?)\s*/\s*10", page.get_by_test_id("stars").inner_text())
    assert match, "the stars are not shown as 'N / 10'"
    return float(match.group(1))


# --- tests --------------------------------------------------------------------------------------


def test_analyze_positive_review_shows_verdict_stars_and_highlighted_sentences(
    page: sync_api.Page, server: str, tmp_path: Path
) -> None:
    expected = _analyze_with_api(server, POSITIVE_REVIEW)
    assert expected["label"] == "positive"

    _analyze_on_page(page, POSITIVE_REVIEW)

    assert page.get_by_test_id("verdict").inner_text().strip().lower().endswith("positive")
    stars = _stars_shown(page)
    assert stars >= 6
    assert stars == pytest.approx(expected["stars"], abs=0.05)
    meter = page.get_by_role("meter")
    assert float(meter.get_attribute("aria-valuenow") or "nan") == pytest.approx(expected["probability"] * 100, abs=0.1)

    sentences = page.locator(".sentence")
    assert sentences.count() == len(expected["sentences"])
    polarities = [sentences.nth(i).get_attribute("data-polarity") for i in range(sentences.count())]
    assert "positive" in polarities
    assert set(polarities) <= {"positive", "negative", "neutral"}
    extract = [s["in_extract"] for s in expected["sentences"]]
    assert [sentences.nth(i).get_attribute("data-extract") for i in range(len(extract))] == [
        "true" if e else "false" for e in extract
    ]
    assert page.locator("#ngrams li").count() > 0

    page.screenshot(path=str(tmp_path / "analyze.png"), full_page=True)
    assert (tmp_path / "analyze.png").stat().st_size > 0

    page.get_by_label("Show the extract only").check()
    visible = [sentences.nth(i).is_visible() for i in range(len(extract))]
    assert visible == extract
    page.get_by_label("Show the extract only").uncheck()
    assert all(sentences.nth(i).is_visible() for i in range(len(extract)))


def test_analyze_negative_review_from_a_txt_file(page: sync_api.Page, tmp_path: Path) -> None:
    review = tmp_path / "review.txt"
    review.write_text(NEGATIVE_REVIEW, encoding="utf-8")
    page.get_by_label("Open a .txt file").set_input_files(str(review))
    sync_api.expect(page.get_by_label("Review text")).to_have_value(NEGATIVE_REVIEW)
    page.get_by_label("Review text").press("Control+Enter")
    sync_api.expect(page.get_by_test_id("verdict")).not_to_be_empty()
    assert page.get_by_test_id("verdict").inner_text().strip().lower().endswith("negative")
    assert page.locator('.sentence[data-polarity="negative"]').count() >= 1
    assert _stars_shown(page) < 6


def test_batch_upload_downloads_csv_in_order(page: sync_api.Page, server: str, tmp_path: Path) -> None:
    upload = tmp_path / "reviews.csv"
    with upload.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows(BATCH_ROWS)
    expected = httpx.post(
        f"{server}/v1/analyze/batch",
        json={"reviews": [{"id": i, "text": t} for i, t in BATCH_ROWS]},
        timeout=30,
        trust_env=False,
    ).json()["results"]

    # WAI-ARIA tabs: the arrow key moves to the next tab and shows its panel.
    page.get_by_role("tab", name="One review").focus()
    page.keyboard.press("ArrowRight")
    sync_api.expect(page.get_by_role("tab", name="Many reviews")).to_have_attribute("aria-selected", "true")
    sync_api.expect(page.get_by_role("tab", name="Many reviews")).to_be_focused()
    page.get_by_label("CSV or JSONL file of reviews").set_input_files(str(upload))
    sync_api.expect(page.get_by_label("Text column")).to_have_value("text")
    sync_api.expect(page.get_by_label("Id column (optional)")).to_have_value("id")
    page.get_by_role("button", name="Run").click()
    download_button = page.get_by_role("button", name="Download CSV")
    sync_api.expect(download_button).to_be_enabled()
    with page.expect_download() as info:
        download_button.click()
    saved = tmp_path / "results.csv"
    info.value.save_as(saved)

    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"), newline="")))
    assert list(rows[0]) == ["id", "label", "probability", "stars", "score", "extract", "error"]
    assert [r["id"] for r in rows] == [i for i, _ in BATCH_ROWS]
    assert [r["label"] for r in rows] == [e["label"] for e in expected]
    assert [float(r["probability"]) for r in rows] == pytest.approx([e["probability"] for e in expected])
    assert all(r["error"] == "" for r in rows)
    summary = page.get_by_test_id("batch-summary").inner_text()
    positives = sum(e["label"] == "positive" for e in expected)
    assert f"{positives} positive" in summary.replace("\n", " ")


def test_phone_width_has_no_horizontal_scroll_and_keyboard_reaches_analyze(
    browser: sync_api.Browser, server: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.set_default_timeout(UI_TIMEOUT)
        page.goto(server + "/")
        width = "document.scrollingElement.scrollWidth"
        assert page.evaluate(width) <= 360

        # Tab from the top of the page until the Analyze button has the focus.
        for _ in range(15):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == "Analyze":
                break
        else:
            pytest.fail("the Analyze button is not reachable with the Tab key")
        page.keyboard.type(" ")  # Space on the focused button runs it: with no text, it asks for some
        sync_api.expect(page.locator("#analyze-status")).to_contain_text("review")

        # With a result on screen the page must still fit.
        _analyze_on_page(page, POSITIVE_REVIEW)
        assert page.evaluate(width) <= 360
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
        assert (tmp_path / "phone.png").stat().st_size > 0
    finally:
        context.close()


def test_page_is_self_contained(server: str) -> None:
    """No CDN: every stylesheet and script the page names is served by thumbs itself."""
    html = httpx.get(server + "/", trust_env=False).text
    assets = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") or a.startswith("#") for a in assets), assets
    for asset in (a for a in assets if a.startswith("/static/")):
        response = httpx.get(server + asset, trust_env=False)
        assert response.status_code == 200, asset
        external = re.findall(r"https?://(?!www\.w3\.org/)[^\s\"')]+", response.text)  # SVG namespaces are not fetched
        assert not external, (asset, external)
    assert json.loads(httpx.get(server + "/v1/health", trust_env=False).text)["status"] == "ok"
