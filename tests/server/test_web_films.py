"""The web page's Films tab end to end: ``thumbs serve`` driven by Debian's chromium through Playwright.

A table of reviews of three films (written for these tests) is pasted as CSV or opened as a
JSON Lines file; the page parses it, posts it to ``/v1/summarize`` and shows a table of the
films and a film x aspect heat map. What the page shows is checked against what the API answers
for the same rows. The fixtures are tests/server/conftest.py's (one server and one headless browser for the
module); without Playwright or ``/usr/bin/chromium`` the tests skip, and with
``THUMBS_REQUIRE_BROWSER=1`` (CI) a missing browser fails instead.

A second table, dated and naming a character and the 3D, checks your own aspects (the heat map's
columns) and a film's opened row (its months). ``THUMBS_SCREENSHOTS=1 pytest
tests/server/test_web_films.py -k screenshots`` rewrites ``docs/images/web-films.png`` (that table
summarized on the page, a film opened) and ``docs/images/summary-report.png`` (the page
``thumbs summarize --report DIR`` writes for the same table and aspects); skipped otherwise.
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

import thumbs
from tests.helpers.browser import UI_TIMEOUT
from tests.server.test_web import IMAGES, _quantize
from thumbs.pipeline.model import Model
from thumbs.present.summary_report import write_summary_report
from thumbs.text.aspect_terms import AspectTerms, builtin_aspect_terms

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

#: Three films over several months, with a character and the 3D to name as your own aspects.
DATED_CSV = (
    "film,review,date\n"
    "The Silence of the Lambs,Hannibal is chilling and brilliant. A superb thriller.,2024-01-05\n"
    "The Silence of the Lambs,Lecter is magnificent; the acting is superb.,2024-01-20\n"
    'The Silence of the Lambs,"Slow in places, but Hannibal is unforgettable.",2024-02-11\n'
    "The Silence of the Lambs,A dull copy of better films; Lecter is a cartoon.,2024-03-02\n"
    "Avatar,The 3D is stunning and the visuals are gorgeous.,2024-01-09\n"
    'Avatar,"The 3D is a blurry, awful mess and the story is thin.",2024-02-14\n'
    "Avatar,Beautiful to look at. The music is wonderful.,2024-02-28\n"
    'Vertigo,"A haunting, gorgeous film. The score is superb.",2024-03-15\n'
    "Vertigo,Dreamlike and unforgettable; the direction is masterful.,not a date\n"
)
DATED_ROWS: list[dict[str, str]] = list(csv.DictReader(io.StringIO(DATED_CSV, newline="")))
#: Your aspects as the page's box takes them, and as the API does.
MINE_LINES = "Hannibal: hannibal, lecter\n3d: the 3d, 3-d"
MINE = {"Hannibal": ["hannibal", "lecter"], "3d": ["the 3d", "3-d"]}


# --- helpers ------------------------------------------------------------------------------------


def _summarize_with_api(
    server: str, reviews: list[dict[str, str]], aspects: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"reviews": reviews} if aspects is None else {"reviews": reviews, "aspects": aspects}
    response = httpx.post(f"{server}/v1/summarize", json=body, timeout=30, trust_env=False)
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
    rows = page.get_by_test_id("films").locator("tbody tr.film")
    return [[cell.strip() for cell in row.locator("th, td").all_inner_texts()] for row in rows.all()]


def _assert_films_shown(page: sync_api.Page, expected: list[dict[str, Any]]) -> None:
    """The table's rows are the API's films, in its order, with their counts, shares and stars."""
    sync_api.expect(page.get_by_test_id("films").locator("tbody tr.film")).to_have_count(len(expected))
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
        # your aspects' box open, and a film's row open on its months: still no sideways scroll
        page.get_by_role("tabpanel", name="Films").get_by_text("Your aspects", exact=True).click()
        page.get_by_role("button", name="Vertigo", exact=True).click()
        sync_api.expect(page.get_by_test_id("film-months")).to_be_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    finally:
        context.close()


def _dated_upload(tmp_path: Path) -> Path:
    upload = tmp_path / "films.csv"
    upload.write_text(DATED_CSV, encoding="utf-8")
    return upload


def _summarize_dated_on_page(page: sync_api.Page, tmp_path: Path) -> None:
    """Open the dated table (its date column is chosen for you), add your aspects, summarize."""
    _open_films_tab(page)
    panel = page.get_by_role("tabpanel", name="Films")
    page.get_by_test_id("films-file").set_input_files(str(_dated_upload(tmp_path)))
    sync_api.expect(page.get_by_test_id("films-status")).to_contain_text("Loaded films.csv")
    sync_api.expect(page.get_by_label("Date column (optional)")).to_have_value("date")
    page.get_by_label("Review column").fill("review")
    panel.get_by_text("Your aspects", exact=True).click()
    panel.get_by_label("Your own aspects").fill(MINE_LINES)
    page.get_by_role("button", name="Summarize").click()
    sync_api.expect(page.get_by_test_id("films-status")).to_contain_text("Done: 3 films from 9 reviews")


@e2e
def test_your_aspects_are_columns_of_the_heat_map(page: sync_api.Page, server: str, tmp_path: Path) -> None:
    reviews = [{"film": r["film"], "text": r["review"], "date": r["date"]} for r in DATED_ROWS]
    expected = _summarize_with_api(server, reviews, MINE)
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data or "{}")) if "/v1/summarize" in r.url else None)
    _summarize_dated_on_page(page, tmp_path)
    assert sent[-1]["aspects"] == MINE
    assert sent[-1]["reviews"][0]["date"] == "2024-01-05"
    _assert_films_shown(page, expected)

    heads = page.get_by_test_id("heatmap").locator("thead th").all_inner_texts()[1:]
    assert {"Hannibal", "3d"} <= set(heads)
    sync_api.expect(page.get_by_test_id("heatmap").locator("thead th.yours")).to_have_count(2)
    for film in expected:
        for aspect in film["aspects"]:
            if aspect["aspect"] not in MINE:
                continue
            count = aspect["reviews"]
            label = (
                f"{film['group']}, {aspect['aspect']}: {_percent(aspect['share_positive']['value'])} positive of "
                f"{count} {'review' if count == 1 else 'reviews'}"
            )
            sync_api.expect(page.get_by_label(label, exact=True)).to_have_count(1)
    silence = {a["aspect"]: a for a in expected[0]["aspects"]}
    assert expected[0]["group"] == "The Silence of the Lambs" and silence["Hannibal"]["reviews"] == 4


@e2e
def test_a_films_row_opens_on_its_months(page: sync_api.Page, server: str, tmp_path: Path) -> None:
    reviews = [{"film": r["film"], "text": r["review"], "date": r["date"]} for r in DATED_ROWS]
    expected = {f["group"]: f for f in _summarize_with_api(server, reviews, MINE)}
    _summarize_dated_on_page(page, tmp_path)

    for name in ("The Silence of the Lambs", "Vertigo"):
        toggle = page.get_by_role("button", name=name, exact=True)
        sync_api.expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        sync_api.expect(toggle).to_have_attribute("aria-expanded", "true")
        detail = page.locator(f"#{toggle.get_attribute('aria-controls')}")
        months = expected[name]["months"]
        shown = detail.get_by_test_id("film-month")
        sync_api.expect(shown).to_have_count(len(months))
        for item, month in zip(shown.all(), months, strict=True):
            count = month["reviews"]
            sync_api.expect(item).to_have_text(
                f"{month['month']}: {count} {'review' if count == 1 else 'reviews'}, "
                f"{_percent(month['share_positive']['value'])} positive, {month['stars']:.1f} stars"
            )
        line = detail.get_by_role("img")
        sync_api.expect(line).to_have_attribute("aria-label", re.compile(r"^Share positive by month: "))
        assert line.locator("circle").count() == len(months)
    assert [m["month"] for m in expected["The Silence of the Lambs"]["months"]] == ["2024-01", "2024-02", "2024-03"]
    assert [m["month"] for m in expected["Vertigo"]["months"]] == ["2024-03"]  # "not a date" is left out
    # closed again, the table is the films' rows alone
    page.get_by_role("button", name="Vertigo", exact=True).click()
    sync_api.expect(page.locator("tr.film-detail")).to_have_count(1)


@e2e
def test_without_a_date_column_an_opened_row_says_how_to_get_months(page: sync_api.Page) -> None:
    _open_films_tab(page)
    page.get_by_label("Table of reviews").fill(TABLE_CSV)
    page.get_by_role("button", name="Summarize").click()
    page.get_by_role("button", name="Heat", exact=True).click()
    sync_api.expect(page.get_by_test_id("film-months")).to_contain_text("Give the date column above")
    page.get_by_label("Date column (optional)").fill("when")
    page.get_by_role("button", name="Summarize").click()
    sync_api.expect(page.get_by_test_id("films-status")).to_have_text(
        "The table has no column \u201cwhen\u201d for the date: its columns are film, text."
    )


@e2e
def test_a_bad_aspect_line_on_the_films_tab_is_shown_inline(page: sync_api.Page) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if "/v1/summarize" in request.url else None)
    _open_films_tab(page)
    panel = page.get_by_role("tabpanel", name="Films")
    page.get_by_label("Table of reviews").fill(TABLE_CSV)
    panel.get_by_text("Your aspects", exact=True).click()
    panel.get_by_label("Your own aspects").fill("ok: fine\n: nameless")
    page.get_by_role("button", name="Summarize").click()
    sync_api.expect(page.get_by_test_id("films-aspects-error")).to_have_text(
        "Line 2: give the aspect a name before the colon."
    )
    sync_api.expect(page.get_by_test_id("films-status")).to_have_attribute("data-kind", "error")
    assert requests == []


# --- screenshots for the README (THUMBS_SCREENSHOTS=1) ----------------------------------------------


@e2e
@pytest.mark.skipif(os.environ.get("THUMBS_SCREENSHOTS") != "1", reason="set THUMBS_SCREENSHOTS=1 to rewrite them")
def test_screenshots_of_the_films_tab_and_the_report(
    browser: sync_api.Browser, server: str, tmp_path: Path, model: Model
) -> None:
    """docs/images/web-films.png (the dated table with your aspects, a film opened) and summary-report.png.

    The report is what ``thumbs summarize --report DIR`` writes for the same table with the same aspects.
    """
    context = browser.new_context(
        viewport={"width": 1000, "height": 900}, color_scheme="light", reduced_motion="reduce"
    )
    try:
        page = context.new_page()
        page.set_default_timeout(UI_TIMEOUT)
        page.goto(server + "/")
        _summarize_dated_on_page(page, tmp_path)
        page.get_by_role("button", name="The Silence of the Lambs", exact=True).click()
        sync_api.expect(page.get_by_test_id("film-month")).to_have_count(3)
        page.get_by_label("Table of reviews").evaluate("box => { box.scrollTop = 0; }")
        page.get_by_role("tabpanel", name="Films").screenshot(path=str(IMAGES / "web-films.png"))
        _quantize(IMAGES / "web-films.png")

        mine = model.with_aspects(builtin_aspect_terms().merged(AspectTerms(MINE)))
        summaries = thumbs.summarize(DATED_ROWS, "film", text="review", date="date", model=mine)
        report = write_summary_report(summaries, tmp_path / "report")
        page.goto(report.as_uri())
        page.get_by_text("Quotes and phrases: The Silence of the Lambs").click()  # its details open
        page.screenshot(path=str(IMAGES / "summary-report.png"), full_page=True)
        _quantize(IMAGES / "summary-report.png")
    finally:
        context.close()
