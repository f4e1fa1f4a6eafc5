"""The web page's Films tab end to end: ``thumbs serve`` driven by Debian's chromium through Playwright.

A table of reviews of three films (written for these tests) is pasted as CSV or opened as a
JSON Lines file; the page parses it, posts it to ``/v1/summarize`` and shows a table of the
films and a film x aspect heat map. What the page shows is checked against what the API answers
for the same rows. The fixtures are tests/server/conftest.py's (one server and one headless browser for the
module); without Playwright or ``/usr/bin/chromium`` the tests skip, and with
``THUMBS_REQUIRE_BROWSER=1`` (CI) a missing browser fails instead.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.browser import UI_TIMEOUT

try:
    from playwright import sync_api
except ImportError:  # the browser fixture skips
    sync_api = None  # type: ignore[assignment]

e2e = pytest.mark.e2e


#: Three films: a quoted field with a comma, one with doubled quotes and a line break, and a
#: last row with no text (a failed review of Cats).
TABLE_CSV = (
    "film,text\n"
    'Vertigo,"A haunting, gorgeous film. The music is superb."\n'
    "Cats,A dull mess. The music is awful and the acting is wooden.\n"
    'Vertigo,"I loved it; the ""score"" is wonderful,\nand the music is beautiful."\n'
    "Heat,Tense and gripping. The acting is superb.\n"
    "Cats,Boring and stupid.\n"
    "Cats,\n"
)
ROWS: list[dict[str, str]] = list(csv.DictReader(io.StringIO(TABLE_CSV, newline="")))


# --- helpers ------------------------------------------------------------------------------------


def _summarize_with_api(server: str, reviews: list[dict[str, str]]) -> list[dict[str, Any]]:
    response = httpx.post(f"{server}/v1/summarize", json={"reviews": reviews}, timeout=30, trust_env=False)
    response.raise_for_status()
    films: list[dict[str, Any]] = response.json()["films"]
    return films


def _percent(share: float) -> str:
    """A share as the page writes it (JavaScript's Math.round: halves up)."""
    return f"{int(share * 100 + 0.5)}%"


def _open_films_tab(page: sync_api.Page) -> None:
    """From the first tab, End (WAI-ARIA tabs) selects and focuses the last one: Films."""
    page.get_by_role("tab", name="One review").focus()
    page.keyboard.press("End")
    tab = page.get_by_role("tab", name="Films")
    sync_api.expect(tab).to_have_attribute("aria-selected", "true")
    sync_api.expect(tab).to_be_focused()
    sync_api.expect(page.get_by_role("tabpanel", name="Films")).to_be_visible()


def _table_rows(page: sync_api.Page) -> list[list[str]]:
    rows = page.get_by_test_id("films").locator("tbody tr")
    return [[cell.strip() for cell in row.locator("th, td").all_inner_texts()] for row in rows.all()]


def _assert_films_shown(page: sync_api.Page, expected: list[dict[str, Any]]) -> None:
    """The table's rows are the API's films, in its order, with their counts, shares and stars."""
    sync_api.expect(page.get_by_test_id("films").locator("tbody tr")).to_have_count(len(expected))
    for row, film in zip(_table_rows(page), expected, strict=True):
        name, reviews, share, stars = row
        assert name == film["group"]
        failed = f" ({film['failed']} failed)" if film["failed"] else ""
        assert reviews == f"{film['reviews']}{failed}"
        low, high = film["share_positive"]["low"], film["share_positive"]["high"]
        assert share == f"{_percent(film['share_positive']['value'])} ({_percent(low)}\u2013{_percent(high)})"
        shown = re.match(r"(\d+\.\d) \((\d+\.\d)\u2013(\d+\.\d)\)", stars)
        assert shown, stars
        assert float(shown.group(1)) == pytest.approx(film["stars"]["mean"], abs=0.051)


# --- the tests ------------------------------------------------------------------------------------


@e2e
def test_a_pasted_csv_is_summarized_film_by_film(page: sync_api.Page, server: str) -> None:
    expected = _summarize_with_api(server, ROWS)
    assert [f["group"] for f in expected] == ["Cats", "Vertigo", "Heat"]  # most reviewed first
    music = {a["aspect"]: a for a in expected[1]["aspects"]}["music"]
    assert music["reviews"] == 2  # the quoted field with a line break is one review, read whole

    _open_films_tab(page)
    sync_api.expect(page.get_by_label("Film column")).to_have_value("film")
    sync_api.expect(page.get_by_label("Review column")).to_have_value("text")
    page.get_by_label("Table of reviews").fill(TABLE_CSV)
    page.get_by_role("button", name="Summarize").click()
    sync_api.expect(page.get_by_test_id("films-status")).to_contain_text("Done: 3 films from 6 reviews")
    sync_api.expect(page.get_by_test_id("films-status")).to_contain_text("1 could not be read")

    _assert_films_shown(page, expected)
    assert [row[0] for row in _table_rows(page)] == ["Cats", "Vertigo", "Heat"]
    assert _table_rows(page)[0][1] == "3 (1 failed)"

    label = f"Vertigo, music: {_percent(music['share_positive']['value'])} positive of 2 reviews"
    cell = page.get_by_label(label, exact=True)
    sync_api.expect(cell).to_have_count(1)
    sync_api.expect(cell).to_have_text(f"{_percent(music['share_positive']['value'])} (2)")
    # Red (0) to green (120): the cell's hue is its share positive.
    assert float(cell.evaluate("td => getComputedStyle(td).getPropertyValue('--share')")) == pytest.approx(
        music["share_positive"]["value"], abs=0.001
    )
    # One row per film, one column per aspect any film's reviews judge; an empty cell says so.
    heatmap = page.get_by_test_id("heatmap")
    aspects = sorted({a["aspect"] for f in expected for a in f["aspects"]})
    assert sorted(heatmap.locator("thead th").all_inner_texts()[1:]) == aspects
    assert heatmap.locator("tbody tr").count() == 3
    if "music" in aspects and not any(a["aspect"] == "music" for a in expected[2]["aspects"]):
        sync_api.expect(page.get_by_label("Heat, music: no review judges it", exact=True)).to_have_count(1)


@e2e
def test_a_jsonl_file_with_other_column_names(page: sync_api.Page, server: str, tmp_path: Path) -> None:
    upload = tmp_path / "reviews.jsonl"
    lines = [json.dumps({"movie": r["film"], "review": r["text"], "n": n}) for n, r in enumerate(ROWS)]
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = _summarize_with_api(server, ROWS)

    _open_films_tab(page)
    page.get_by_test_id("films-file").set_input_files(str(upload))
    sync_api.expect(page.get_by_test_id("films-status")).to_contain_text("Loaded reviews.jsonl")
    page.get_by_label("Film column").fill("movie")
    page.get_by_label("Review column").fill("review")
    page.get_by_label("Table of reviews").press("Control+Enter")
    sync_api.expect(page.get_by_test_id("films-status")).to_contain_text("Done: 3 films")
    _assert_films_shown(page, expected)


@e2e
def test_problems_are_one_line_and_nothing_is_sent(page: sync_api.Page) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if "/v1/summarize" in request.url else None)
    _open_films_tab(page)
    status = page.get_by_test_id("films-status")

    page.get_by_role("button", name="Summarize").click()
    sync_api.expect(status).to_have_text("Paste a table of reviews, or open a file, first.")
    sync_api.expect(status).to_have_attribute("data-kind", "error")

    page.get_by_label("Table of reviews").fill(TABLE_CSV)
    page.get_by_label("Film column").fill("title")
    page.get_by_role("button", name="Summarize").click()
    sync_api.expect(status).to_have_text(
        "The table has no column \u201ctitle\u201d for the film: its columns are film, text."
    )

    page.get_by_label("Film column").fill("film")
    page.get_by_label("Table of reviews").fill('film,text\nVertigo,"never closed\n')
    page.get_by_role("button", name="Summarize").click()
    sync_api.expect(status).to_contain_text("Could not read the table: a quoted field is not closed")
    assert requests == []
    sync_api.expect(page.get_by_test_id("films")).to_be_hidden()


@e2e
def test_the_films_tab_fits_a_phone(browser: sync_api.Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.set_default_timeout(UI_TIMEOUT)
        page.goto(server + "/")
        _open_films_tab(page)
        page.get_by_label("Table of reviews").fill(TABLE_CSV)
        page.get_by_role("button", name="Summarize").click()
        sync_api.expect(page.get_by_test_id("films").locator("tbody tr")).to_have_count(3)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360  # the tables scroll in their boxes
    finally:
        context.close()
