"""The HTML report of film summaries: one self-contained page, every text escaped, the heat map labelled."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from thumbs.errors import ThumbsError
from thumbs.pipeline.analysis import Analysis, AspectJudgement, Quote
from thumbs.present.summaries import aspect_columns
from thumbs.present.summary_report import (
    GENERATOR_MARK,
    REPORT_FILE,
    heat_colour,
    write_summary_report,
)
from thumbs.summary.facts import ReviewFacts, facts_of
from thumbs.summary.films import FilmSummary, film_summary
from thumbs.summary.tallies import FilmTally

CATS = '<Cats> & "Dogs"'


def _analysis(id: str, p: float, stars: float, aspects: tuple[tuple[str, float, str], ...] = ()) -> ReviewFacts:
    judged = tuple(
        AspectJudgement(name, polarity, Quote(name, ((0, 1),)), Quote(clause, ((0, 1),)), 0)
        for name, polarity, clause in aspects
    )
    label = "positive" if p >= 0.5 else "negative"
    return facts_of(Analysis(id=id, label=label, probability=p, stars=stars, score=p - 0.5, aspects=judged))


def _summaries() -> list[FilmSummary]:
    vertigo = FilmTally()
    for i, polarity in enumerate((0.8, 0.6, 0.7, 0.5, -0.4)):
        vertigo.add(_analysis(f"v{i}", 0.8, 8.0, (("music", polarity, f"the score <{i}> & more"),)), "2024-01")
    vertigo.add(_analysis("v9", 0.3, 3.0, (("story", -0.7, 'the plot makes no "sense"'),)), "2024-02")
    cats = FilmTally()
    cats.add(_analysis("c1", 0.1, 2.0, (("effects", -0.9, "the CGI is a <nightmare>"),)))
    cats.add(facts_of(Analysis.failed("c2", "empty review")))
    empty = FilmTally()
    empty.add(facts_of(Analysis.failed("e1", "empty review")))
    return [film_summary("Vertigo", vertigo), film_summary(CATS, cats), film_summary("Nothing read", empty)]


class Page(HTMLParser):
    """What the checks need of a page: its elements (tag, attributes) and the text of each tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self.open_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in {"meta", "br", "rect", "path"}:
            self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open_tags:
            while self.open_tags.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.open_tags:
            self.texts.setdefault(self.open_tags[-1], []).append(data)

    def with_tag(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.elements if name == tag]


def _parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, list[FilmSummary]]:
    summaries = _summaries()
    return write_summary_report(summaries, tmp_path / "report" / "nested"), summaries


def test_the_report_is_one_self_contained_page(written: tuple[Path, list[FilmSummary]]) -> None:
    path, _ = written
    assert path.name == REPORT_FILE and path.is_file()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and GENERATOR_MARK in text
    assert 'src="http' not in text and "<link" not in text and "@import" not in text and "url(" not in text
    page = _parse(path)
    assert not [a for t, a in page.elements if t in {"script", "img", "iframe"} and a.get("src")]
    assert len(page.with_tag("style")) == 1 and len(page.with_tag("script")) == 1
    assert not page.open_tags  # every element closed


def test_every_film_and_quote_is_escaped(written: tuple[Path, list[FilmSummary]]) -> None:
    path, summaries = written
    text = path.read_text(encoding="utf-8")
    assert CATS not in text and "&lt;Cats&gt; &amp; &quot;Dogs&quot;" in text
    assert "<nightmare>" not in text and "<0>" not in text
    page = _parse(path)
    row_heads = page.texts["th"]
    for summary in summaries:
        assert row_heads.count(summary.group) == 2  # the films table and the heat map
    assert "the CGI is a <nightmare>" in page.texts["q"] and 'the plot makes no "sense"' in page.texts["q"]


def test_the_films_table_sorts_by_buttons_and_each_film_opens(written: tuple[Path, list[FilmSummary]]) -> None:
    path, summaries = written
    page = _parse(path)
    tables = page.with_tag("table")
    assert any("sortable" in (t.get("class") or "") for t in tables)
    assert len(page.with_tag("button")) == 5
    assert len(page.with_tag("details")) == len(summaries)
    summaries_text = page.texts["summary"]
    assert [f"Quotes and phrases: {s.group}" for s in summaries] == summaries_text
    svg_labels = [a.get("aria-label") or "" for a in page.with_tag("svg")]
    share = summaries[0].share
    assert f"{share.value:.0%} positive (95% interval {share.low:.0%} to {share.high:.0%})" in svg_labels
    assert "stars: 1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0, 7: 0, 8: 5, 9: 0, 10: 0" in svg_labels
    assert "2024-02" in page.texts["td"]  # Vertigo's months


def test_the_heat_map_has_a_labelled_cell_per_film_and_aspect_judged(written: tuple[Path, list[FilmSummary]]) -> None:
    path, summaries = written
    cells = [a for a in _parse(path).with_tag("td") if a.get("class") == "cell"]
    expected = {
        "Vertigo, music: 80% positive of 5 reviews",
        "Vertigo, story: 0% positive of 1 review",
        f"{CATS}, effects: 0% positive of 1 review",
    }
    assert {c["aria-label"] for c in cells} == expected and len(cells) == len(expected)
    assert all(c["title"] == c["aria-label"] for c in cells)
    assert aspect_columns(summaries) == ["story", "music", "effects"]  # the built-in order
    blanks = [a for a in _parse(path).with_tag("td") if a.get("class") == "blank"]
    assert len(blanks) == len(summaries) * 3 - len(expected)


def test_the_heat_colour_runs_from_red_through_yellow_to_green() -> None:
    assert (heat_colour(0.0), heat_colour(0.5), heat_colour(1.0)) == ("#f46d43", "#fee08b", "#66bd63")
    assert heat_colour(-1) == heat_colour(0.0) and heat_colour(2) == heat_colour(1.0)


def test_the_method_is_named_and_explained(written: tuple[Path, list[FilmSummary]]) -> None:
    path, summaries = written
    page = _parse(path)
    assert page.texts["code"] == [summaries[0].method]
    assert any("maximum-likelihood share" in t for t in page.texts["p"])


def test_no_films_still_make_a_page(tmp_path: Path) -> None:
    path = write_summary_report([], tmp_path)
    assert "No review judges an aspect" in path.read_text(encoding="utf-8")


def test_a_folder_that_is_a_file_is_refused_in_one_line(tmp_path: Path) -> None:
    file = tmp_path / "report"
    file.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ThumbsError, match="is a file") as caught:
        write_summary_report(_summaries(), file)
    assert "\n" not in str(caught.value)
    assert file.read_text(encoding="utf-8") == "not a folder"


def test_a_foreign_index_is_refused_and_kept(tmp_path: Path) -> None:
    foreign = tmp_path / REPORT_FILE
    foreign.write_text("<html><body>my site</body></html>", encoding="utf-8")
    with pytest.raises(ThumbsError, match="not a thumbs summary report") as caught:
        write_summary_report(_summaries(), tmp_path)
    assert "\n" not in str(caught.value)
    assert foreign.read_text(encoding="utf-8") == "<html><body>my site</body></html>"
    (tmp_path / "dir" / REPORT_FILE).mkdir(parents=True)
    with pytest.raises(ThumbsError, match="not a thumbs summary report"):
        write_summary_report(_summaries(), tmp_path / "dir")


def test_writing_twice_replaces_our_own_report(tmp_path: Path) -> None:
    summaries = _summaries()
    first = write_summary_report(summaries, tmp_path)
    second = write_summary_report(summaries[:1], tmp_path)
    assert first == second
    text = second.read_text(encoding="utf-8")
    assert "Vertigo" in text and "Dogs" not in text
