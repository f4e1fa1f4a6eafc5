"""The web page at ``/`` end to end: ``thumbs serve`` driven by Debian's chromium through Playwright.

One server and one headless browser for the whole module. Without Playwright, or without
``/usr/bin/chromium``, the tests skip; with ``THUMBS_REQUIRE_BROWSER=1`` (CI) a missing
browser fails instead. Playwright never downloads a browser here: it is pointed at chromium.
httpx calls pass ``trust_env=False`` so that loopback requests never go through a proxy.

The page's Content-Security-Policy refuses eval, so the tests wait with locators
(``expect(...)``, ``locator.wait_for``), never ``wait_for_function`` with a string. Some tests
answer ``/v1/analyze`` with a result written by hand (``page.route``): the rendering of offsets,
phrases, warnings and the bar is then checked on exact, known values (an emoji before a phrase,
markup inside one); the others check the same against the real model.

``THUMBS_SCREENSHOTS=1 pytest tests/server/test_web.py -k screenshots`` rewrites
``docs/images/web-page.png`` and ``docs/images/web-page-phone.png`` (skipped otherwise).

The reviews are written for these tests.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.browser import UI_TIMEOUT
from thumbs.pipeline.analysis import ROW_COLUMNS
from thumbs.pipeline.model import Model
from thumbs.present.terminal import verdict_numbers
from thumbs.server.schemas import ANALYSIS_EXAMPLE, EXAMPLE_TEXT

try:
    from playwright import sync_api
except ImportError:  # the browser fixture skips; the schema tests still run
    sync_api = None  # type: ignore[assignment]

#: The tests that start processes (the CLI, workers, a server or the browser); make test-fast leaves them out.
e2e = pytest.mark.e2e
#: Where the screenshots for the README go (only with THUMBS_SCREENSHOTS=1).
IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
EXAMPLE_REVIEW = Path(__file__).resolve().parents[2] / "examples" / "review.txt"


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
MIXED_REVIEW = "The acting was wonderful, but the plot was a mess. I didn't like the ending at all."
GIBBERISH = "xyzzy qwerty plugh"
#: Batch rows: the second has a comma and quotes inside, the third a line break.
BATCH_ROWS = [
    ("r1", "A superb, heartfelt film with a brilliant cast. I enjoyed every minute."),
    ("r2", 'The "comedy" is awful, the pacing is dreadful, and I was bored stiff. Terrible.'),
    ("r3", "Warm, witty and wonderfully acted.\nA real gem, and a joy to watch."),
    ("r4", "Stupid, tedious and ugly; the worst film I have sat through in years."),
]


# --- helpers (the server, browser and page fixtures are tests/server/conftest.py's) -------------------


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


def _signed(x: float) -> str:
    """A contribution as the page writes it: sign (a real minus), three decimals."""
    return ("+" if x >= 0 else "\u2212") + f"{abs(x):.3f}"


def _assert_bar_from(page: sync_api.Page, side: str, share: float) -> None:
    """The probability bar is drawn from ``side``'s end of the meter (negative: left), ``share`` of it long, labelled."""
    meter = page.get_by_test_id("meter").bounding_box()
    fill_locator = page.get_by_test_id("meter-fill")
    sync_api.expect(fill_locator).to_have_attribute("data-side", side)
    sync_api.expect(fill_locator).to_contain_text(side)
    page.wait_for_timeout(500)  # the width's 0.4 s transition
    fill = fill_locator.bounding_box()
    assert meter and fill
    if side == "negative":
        assert fill["x"] == pytest.approx(meter["x"], abs=1)
    else:
        assert fill["x"] + fill["width"] == pytest.approx(meter["x"] + meter["width"], abs=1)
    assert fill["width"] / meter["width"] == pytest.approx(share, abs=0.01)


def _review_as_shown(page: sync_api.Page) -> str:
    """The review box's text without its screen-reader notes, each line break back as ``<br />``."""
    return page.get_by_test_id("sentences").evaluate(
        """box => {
            const copy = box.cloneNode(true);
            copy.querySelectorAll(".sr-note").forEach((note) => note.remove());
            copy.querySelectorAll("br").forEach((br) => br.replaceWith("<br />"));
            return copy.textContent;
        }"""
    )


def _spans(text: str, *words: str) -> list[list[int]]:
    """Code-point ``[start, end]`` of each of ``words`` in ``text``, searched in order."""
    spans, position = [], 0
    for word in words:
        start = text.index(word, position)
        spans.append([start, start + len(word)])
        position = start + len(word)
    return spans


#: A review whose offsets JavaScript gets wrong if it counts UTF-16 units (two emoji before the phrases),
#: with markup inside a phrase (the page must show it as text) and raw IMDb line breaks.
HANDMADE_TEXT = (
    "Loved the cast \U0001f600\U0001f600, and the acting was wonderful.<br /><br />"
    "But the plot was a <b>mess</b>\u2026 I didn't like the ending at all."
)
HANDMADE_SENTENCES = [
    "Loved the cast \U0001f600\U0001f600, and the acting was wonderful.",
    "But the plot was a <b>mess</b>\u2026",
    "I didn't like the ending at all.",
]
HANDMADE_WARNING = "only 60% of the review's words are known to the model: read the verdict with care"


def _handmade_result(probability: float = 0.19, label: str = "negative", warnings: tuple[str, ...] = ()) -> dict:
    """A result of the 0.2 contract for :data:`HANDMADE_TEXT`, written by hand."""
    text = HANDMADE_TEXT
    starts = [text.index(s) for s in HANDMADE_SENTENCES]
    sentences = [
        {
            "text": s,
            "start": a,
            "end": a + len(s),
            "subjectivity": 0.8,
            "polarity": pol,
            "in_extract": ext,
            "contribution": c,
        }
        for s, a, pol, ext, c in zip(
            HANDMADE_SENTENCES, starts, (0.7, -0.5, -0.8), (True, False, True), (0.6, -0.4, -0.7), strict=True
        )
    ]
    loved, the_cast, wonderful, period = _spans(text, "Loved", "the cast", "wonderful", ".")
    a, mess = _spans(text, "a <b>", "mess")
    a[1] = a[0] + 1  # "a", then the markup, then "mess": one phrase, two stretches
    didnt_like, at_all = _spans(text, "didn't like", "at all")
    phrases = [
        {"text": "wonderful", "spans": [wonderful], "sentence": 0, "contribution": 0.61, "features": ["wonderful"]},
        {
            "text": "didn't like",
            "spans": [didnt_like],
            "sentence": 2,
            "contribution": -0.52,
            "features": ["did n't", "NOT_like"],
        },
        {"text": "a mess", "spans": [a, mess], "sentence": 1, "contribution": -0.45, "features": ["a mess"]},
        {"text": "Loved", "spans": [loved], "sentence": 0, "contribution": 0.2, "features": ["loved"]},
        {"text": "at all", "spans": [at_all], "sentence": 2, "contribution": -0.09, "features": ["NOT_all"]},
        # Too weak (under a tenth of the strongest), or no word: listed, not marked in the text.
        {"text": "the cast", "spans": [the_cast], "sentence": 0, "contribution": 0.05, "features": ["the cast"]},
        {"text": ".", "spans": [period], "sentence": 0, "contribution": 0.07, "features": ["."]},
    ]
    return {
        "id": None,
        "label": label,
        "probability": probability,
        "stars": 3.2,
        "score": -0.5,
        "coverage": 0.6,
        "warnings": list(warnings),
        "sentences": sentences,
        "evidence": {
            "bias": -0.29,
            "phrases": phrases,
            "ngrams": [{"ngram": f, "contribution": p["contribution"]} for p in phrases for f in p["features"][:1]],
            "sentences": [{"index": 2, "text": HANDMADE_SENTENCES[2], "contribution": -0.7}],
        },
        "error": None,
    }


def _answer_with(page: sync_api.Page, result: dict) -> list[dict]:
    """Make the page's ``POST /v1/analyze`` get ``result``; returns the bodies it sent."""
    sent: list[dict] = []

    def fulfil(route: Any) -> None:
        sent.append(json.loads(route.request.post_data or "{}"))
        route.fulfill(status=200, content_type="application/json", body=json.dumps(result, ensure_ascii=False))

    page.route("**/v1/analyze", fulfil)
    return sent


# --- tests --------------------------------------------------------------------------------------


@e2e
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


@e2e
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
    probability = float(page.get_by_role("meter").get_attribute("aria-valuenow") or "nan") / 100
    _assert_bar_from(page, "negative", 1 - probability)


@e2e
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
    assert tuple(rows[0]) == ROW_COLUMNS  # the columns of thumbs analyze --format csv
    assert [r["id"] for r in rows] == [i for i, _ in BATCH_ROWS]
    assert [r["label"] for r in rows] == [e["label"] for e in expected]
    assert [float(r["probability"]) for r in rows] == pytest.approx([e["probability"] for e in expected])
    assert all(r["error"] == "" for r in rows)
    assert [r["warnings"] for r in rows] == ["; ".join(e["warnings"]) for e in expected]
    assert [r["n_sentences"] for r in rows] == [str(len(e["sentences"])) for e in expected]
    positive = [[p["text"] for p in e["evidence"]["phrases"] if p["contribution"] > 0][:5] for e in expected]
    assert [r["top_positive"] for r in rows] == ["; ".join(p) for p in positive]
    summary = page.get_by_test_id("batch-summary").inner_text()
    positives = sum(e["label"] == "positive" for e in expected)
    assert f"{positives} positive" in summary.replace("\n", " ")


@e2e
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
        # and with your aspects' box open and a result that lists one of them
        panel = page.get_by_role("tabpanel", name="One review")
        panel.get_by_text("Your aspects", exact=True).click()
        panel.get_by_label("Your own aspects").fill("baker: the baker, retired baker\nleads: the two leads")
        page.get_by_role("button", name="Analyze").click()
        sync_api.expect(page.get_by_test_id("review-aspects").locator(".tag").first).to_be_visible()
        assert page.evaluate(width) <= 360
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
        assert (tmp_path / "phone.png").stat().st_size > 0
    finally:
        context.close()


@e2e
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


# --- the result as written (phrases in place, the bar, warnings): a hand-made answer ---------------


@e2e
def test_phrases_are_marked_in_the_text_as_sent(page: sync_api.Page) -> None:
    sent = _answer_with(page, _handmade_result(warnings=(HANDMADE_WARNING,)))
    _analyze_on_page(page, HANDMADE_TEXT)
    assert sent == [{"text": HANDMADE_TEXT}]

    # The review as written, every character of it; the markup is text, the line breaks are breaks.
    assert _review_as_shown(page) == HANDMADE_TEXT
    box = page.get_by_test_id("sentences")
    assert box.locator("b").count() == 0 and box.locator("br").count() == 2
    assert page.locator(".sentence").count() == 3
    assert [page.locator(".sentence").nth(i).get_attribute("data-extract") for i in range(3)] == [
        "true",
        "false",
        "true",
    ]

    # Each stretch of each phrase, at its code-point offsets (the emoji are two UTF-16 units each).
    marks = page.locator(".phrase")
    assert marks.all_inner_texts() == ["Loved", "wonderful", "a", "mess", "didn't like", "at all"]
    assert [m.get_attribute("data-kind") for m in marks.all()] == [
        "positive",
        "positive",
        "negative",
        "negative",
        "negative",
        "negative",
    ]
    assert [m.get_attribute("data-strong") for m in marks.all()] == ["false", "true", "true", "true", "true", "false"]
    # Tab reaches each phrase once: "mess" is the second stretch of "a mess".
    focusable = page.locator('.phrase[tabindex="0"]')
    assert focusable.all_inner_texts() == ["Loved", "wonderful", "a", "didn't like", "at all"]
    assert page.get_by_role("button", name="“wonderful”: +0.610 toward positive").count() == 1

    # Hover shows the contribution; so does keyboard focus; Escape hides it.
    tip = page.get_by_test_id("phrase-tip")
    sync_api.expect(tip).to_be_hidden()
    marks.filter(has_text="wonderful").hover()
    sync_api.expect(tip).to_be_visible()
    sync_api.expect(tip).to_contain_text("+0.610 toward positive")
    sync_api.expect(tip).to_contain_text("“wonderful”, the strongest phrase")
    page.mouse.move(0, 0)
    sync_api.expect(tip).to_be_hidden()
    focusable.filter(has_text="didn't like").focus()
    sync_api.expect(tip).to_be_visible()
    sync_api.expect(tip).to_contain_text(f"{_signed(-0.52)} toward negative")
    sync_api.expect(tip).to_contain_text("did n't · NOT_like")
    page.keyboard.press("Escape")
    sync_api.expect(tip).to_be_hidden()
    # Both stretches of a phrase light up together.
    marks.filter(has_text="mess").hover()
    sync_api.expect(page.locator(".phrase.active")).to_have_count(2)
    sync_api.expect(tip).to_contain_text("“a mess”, the 3rd strongest phrase")

    # Warnings above the verdict, in a status region.
    warnings = page.get_by_test_id("warnings")
    sync_api.expect(warnings).to_be_visible()
    assert warnings.get_attribute("role") == "status"
    sync_api.expect(warnings).to_contain_text(HANDMADE_WARNING)
    above = warnings.bounding_box()
    verdict = page.locator(".verdict-line").bounding_box()  # the line with the verdict and the stars
    assert above and verdict and above["y"] + above["height"] <= verdict["y"]
    sync_api.expect(page.get_by_test_id("coverage")).to_have_text("The model reads 60% of its words.")

    # The evidence list names the phrases as written; a click takes the focus to the phrase in the text.
    listed = [item.split("\n")[0] for item in page.locator("#ngrams li").all_inner_texts()]
    assert listed == ["wonderful", "didn't like", "a mess", "Loved", "at all", "the cast"]  # "." is no word
    assert page.locator("#ngrams li button").all_inner_texts() == [
        "wonderful",
        "didn't like",
        "a mess",
        "Loved",
        "at all",
    ]
    page.locator("#ngrams").get_by_role("button", name="didn't like").click()
    sync_api.expect(focusable.filter(has_text="didn't like")).to_be_focused()

    # The extract alone: the plot sentence and the text between sentences go.
    page.get_by_label("Show the extract only").check()
    assert [s.is_visible() for s in page.locator(".sentence").all()] == [True, False, True]


@pytest.mark.parametrize(
    ("probability", "label", "shown"),
    [
        (0.19, "negative", "81% sure negative · P(positive) = 0.19"),
        (0.81, "positive", "81% sure positive · P(positive) = 0.81"),
        (0.815, "positive", "81% sure positive · P(positive) = 0.81"),  # not "0.81 (82% sure)"
        (0.185, "negative", "82% sure negative · P(positive) = 0.18"),
        (0.9973, "positive", "99.7% sure positive · P(positive) = 0.997"),
        (0.001, "negative", "99.9% sure negative · P(positive) = 0.001"),
        (0.9996, "positive", "over 99.9% sure positive · P(positive) > 0.999"),
    ],
)
@e2e
def test_the_bar_grows_from_the_verdicts_end_and_agrees_with_its_words(
    page: sync_api.Page, probability: float, label: str, shown: str
) -> None:
    _answer_with(page, _handmade_result(probability, label))
    _analyze_on_page(page, HANDMADE_TEXT)
    _assert_bar_from(page, label, probability if label == "positive" else 1 - probability)
    sync_api.expect(page.get_by_test_id("probability")).to_have_text(shown)
    # The terminal view's numbers, to the character.
    p, sure = verdict_numbers(probability)
    assert shown.startswith(f"{sure} sure {label} · P(positive) ") and shown.endswith(p)
    sync_api.expect(page.get_by_test_id("warnings")).to_be_hidden()


# --- the same against the real model ----------------------------------------------------------------


@e2e
def test_real_phrases_are_marked_where_the_api_says(page: sync_api.Page, server: str) -> None:
    expected = _analyze_with_api(server, MIXED_REVIEW)
    phrases = expected["evidence"]["phrases"]
    assert phrases, "the pipeline gives no phrases"
    _analyze_on_page(page, MIXED_REVIEW)

    assert _review_as_shown(page) == MIXED_REVIEW
    strongest = max(abs(p["contribution"]) for p in phrases)
    shown = [  # the page's rule: a word in it, and at least a tenth of the strongest's push
        k
        for k, p in enumerate(phrases)
        if any(c.isalnum() for c in p["text"]) and abs(p["contribution"]) >= 0.1 * strongest
    ]
    stretches = sorted((a, b, k) for k in shown for a, b in phrases[k]["spans"])
    marks = page.locator(".phrase")
    sync_api.expect(marks.first).to_be_visible()
    assert marks.all_inner_texts() == [MIXED_REVIEW[a:b] for a, b, _ in stretches]
    assert [int(m.get_attribute("data-phrase") or -1) for m in marks.all()] == [k for _, _, k in stretches]

    first = page.locator('.phrase[data-phrase="0"][tabindex="0"]')
    first.hover()
    tip = page.get_by_test_id("phrase-tip")
    sync_api.expect(tip).to_be_visible()
    direction = "positive" if phrases[0]["contribution"] >= 0 else "negative"
    sync_api.expect(tip).to_contain_text(f"{_signed(phrases[0]['contribution'])} toward {direction}")
    page.mouse.move(0, 0)
    sync_api.expect(tip).to_be_hidden()
    page.locator('.phrase[tabindex="0"]').last.focus()
    sync_api.expect(tip).to_be_visible()
    assert first.get_attribute("aria-label") == (
        f"“{phrases[0]['text']}”: {_signed(phrases[0]['contribution'])} toward {direction}"
    )

    sentences = page.locator(".sentence")
    assert [s.get_attribute("data-polarity") for s in sentences.all()] == [
        "positive" if s["polarity"] > 0.2 else "negative" if s["polarity"] < -0.2 else "neutral"
        for s in expected["sentences"]
    ]


@e2e
def test_a_review_the_model_cannot_read_shows_a_warning(page: sync_api.Page, server: str) -> None:
    expected = _analyze_with_api(server, GIBBERISH)
    # Waits for the lead's pipeline (0.2 caveats): a review of words the model does not know is flagged.
    assert expected["warnings"], "the pipeline gives no warning for a review of unknown words"
    _analyze_on_page(page, GIBBERISH)
    warnings = page.get_by_test_id("warnings")
    sync_api.expect(warnings).to_be_visible()
    assert warnings.locator("li").all_inner_texts() == expected["warnings"]
    sync_api.expect(page.locator("#analyze-status")).to_contain_text("warning")


# --- the OpenAPI example is the contract ---------------------------------------------------------------


def _shape(value: Any) -> Any:
    """The keys of every object in ``value``, recursively (lists by their first item)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value and isinstance(value[0], dict | list) else []
    return None


def test_the_openapi_example_has_the_shape_of_a_real_result(model: Model) -> None:
    real = model.analyze(EXAMPLE_TEXT, "r1").to_dict()
    assert real["evidence"]["phrases"], "the pipeline gives no phrases"
    assert _shape(ANALYSIS_EXAMPLE) == _shape(real)
    assert len(ANALYSIS_EXAMPLE["sentences"]) == len(real["sentences"])
    assert [(s["start"], s["end"]) for s in ANALYSIS_EXAMPLE["sentences"]] == [
        (s["start"], s["end"]) for s in real["sentences"]
    ]


def test_the_openapi_example_offsets_give_the_words_back() -> None:
    for sentence in ANALYSIS_EXAMPLE["sentences"]:
        assert EXAMPLE_TEXT[sentence["start"] : sentence["end"]] == sentence["text"]
    evidence = ANALYSIS_EXAMPLE["evidence"]
    for phrase in evidence["phrases"]:
        assert " ".join(EXAMPLE_TEXT[a:b] for a, b in phrase["spans"]) == phrase["text"]
        sentence = ANALYSIS_EXAMPLE["sentences"][phrase["sentence"]]
        assert all(sentence["start"] <= a < b <= sentence["end"] for a, b in phrase["spans"])
    score = ANALYSIS_EXAMPLE["score"]
    for part in ("phrases", "ngrams"):
        assert evidence["bias"] + sum(e["contribution"] for e in evidence[part]) == pytest.approx(score)
    assert evidence["bias"] + sum(s["contribution"] for s in ANALYSIS_EXAMPLE["sentences"]) == pytest.approx(score)
    assert (ANALYSIS_EXAMPLE["label"] == "positive") == (score > 0)
    for aspect in ANALYSIS_EXAMPLE["aspects"]:
        for quote in (aspect["term"], aspect["clause"]):
            assert " ".join(EXAMPLE_TEXT[a:b] for a, b in quote["spans"]) == quote["text"]


@e2e
def test_your_aspects_appear_in_the_analyze_result(page: sync_api.Page, server: str) -> None:
    text = "Hannibal is chilling and brilliant. The 3D is an awful, blurry mess. The acting is superb."
    mine = {"Hannibal": ["hannibal", "lecter"], "3d": ["the 3d", "3-d"]}
    sent: list[dict[str, Any]] = []
    page.on(
        "request", lambda r: sent.append(json.loads(r.post_data or "{}")) if r.url.endswith("/v1/analyze") else None
    )
    response = httpx.post(f"{server}/v1/analyze", json={"text": text, "aspects": mine}, timeout=30, trust_env=False)
    expected = [(a["aspect"], a["polarity"]) for a in response.json()["aspects"]]
    assert {name for name, _ in expected} == {"Hannibal", "3d", "acting"}

    page.get_by_label("Review text").fill(text)
    panel = page.get_by_role("tabpanel", name="One review")
    panel.get_by_text("Your aspects", exact=True).click()  # the box opens
    panel.get_by_label("Your own aspects").fill("Hannibal: hannibal, lecter\n\n# the film's gimmick\n3d: the 3d, 3-d")
    page.get_by_role("button", name="Analyze").click()
    items = page.get_by_test_id("review-aspects").locator("li")
    sync_api.expect(items).to_have_count(len(expected))
    assert sent[-1]["aspects"] == mine
    for item, (name, polarity) in zip(items.all(), expected, strict=True):
        assert item.get_attribute("data-aspect") == name
        sync_api.expect(item.locator(".value")).to_have_text(
            ("+" if polarity >= 0 else "\u2212") + f"{abs(polarity):.2f}"
        )
        sync_api.expect(item.locator(".tag")).to_have_count(0 if name == "acting" else 1)
    hannibal = items.filter(has_text="Hannibal")
    sync_api.expect(hannibal.locator(".tag")).to_have_text("yours")
    sync_api.expect(hannibal).to_have_class(re.compile(r"\bpositive\b"))


@e2e
def test_a_bad_aspect_line_is_shown_under_the_box_and_nothing_is_sent(page: sync_api.Page) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if "/v1/analyze" in request.url else None)
    page.get_by_label("Review text").fill("A fine film.")
    panel = page.get_by_role("tabpanel", name="One review")
    panel.get_by_text("Your aspects", exact=True).click()
    box = panel.get_by_label("Your own aspects")
    box.fill("Hannibal: hannibal\nthe 3d")
    page.get_by_role("button", name="Analyze").click()
    error = page.get_by_test_id("analyze-aspects-error")
    sync_api.expect(error).to_have_text(
        "Line 2: write it as \u201cname: term, term, \u2026\u201d (no colon in \u201cthe 3d\u201d)."
    )
    sync_api.expect(box).to_have_attribute("aria-invalid", "true")
    sync_api.expect(box).to_be_focused()
    sync_api.expect(page.locator("#analyze-status")).to_contain_text("Your aspects: Line 2")
    box.fill("Hannibal: hannibal\n3d:")
    sync_api.expect(error).to_contain_text("Line 2: \u201c3d\u201d has no terms")
    box.fill("Hannibal: hannibal\n3d: the 3d")
    sync_api.expect(error).to_be_hidden()
    assert requests == []
    page.get_by_role("button", name="Analyze").click()
    sync_api.expect(page.get_by_test_id("verdict")).not_to_be_empty()
    assert len(requests) == 1


# --- screenshots for the README (THUMBS_SCREENSHOTS=1) ----------------------------------------------


@e2e
@pytest.mark.skipif(os.environ.get("THUMBS_SCREENSHOTS") != "1", reason="set THUMBS_SCREENSHOTS=1 to rewrite them")
def test_screenshots_for_the_docs(browser: sync_api.Browser, server: str) -> None:
    """docs/images/web-page.png (900 px wide) and web-page-phone.png (360 px): examples/review.txt analyzed."""
    review = EXAMPLE_REVIEW.read_text(encoding="utf-8")
    for name, viewport, mobile in (("web-page.png", (900, 900), False), ("web-page-phone.png", (360, 740), True)):
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]},
            is_mobile=mobile,
            has_touch=mobile,
            color_scheme="light",
            reduced_motion="reduce",
        )
        try:
            page = context.new_page()
            page.set_default_timeout(UI_TIMEOUT)
            page.goto(server + "/")
            _analyze_on_page(page, review)
            page.get_by_label("Review text").evaluate("box => { box.scrollTop = 0; }")
            if not mobile:  # the popover of the strongest phrase (on a phone it would hide the next card)
                page.locator('.phrase[data-phrase="0"][tabindex="0"]').focus()
                sync_api.expect(page.get_by_test_id("phrase-tip")).to_be_visible()
            path = IMAGES / name
            page.screenshot(path=str(path), full_page=True)
            _quantize(path)
        finally:
            context.close()


def _quantize(path: Path) -> None:
    """256 colours, as the images have been committed (a third of the size); as is without Pillow."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        image.convert("RGB").quantize(256).save(path, optimize=True)
