"""Film summaries: the tallies and their estimates on small tables with known answers, and the API."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import thumbs
from thumbs.errors import ThumbsError
from thumbs.pipeline.analysis import Analysis, AspectJudgement, Quote
from thumbs.summary.facts import ReviewFacts, facts_of
from thumbs.summary.films import counted_share, film_summary, share_estimate
from thumbs.summary.run import month_of, summarize
from thumbs.summary.share_aggregate import ShareAggregate
from thumbs.summary.tallies import PHRASES_KEPT_PER_SIGN, CountTally, FilmTally, ProbabilityTally

REVIEWS = [
    {"film": "Vertigo", "date": "2024-01-03", "text": "A haunting, gorgeous film. The score is unforgettable."},
    {"film": "Vertigo", "date": "2024-01-20", "text": "Slow and overlong. The plot makes no sense."},
    {"film": "Vertigo", "date": "2024-02-11", "text": "A masterpiece. The camera work is stunning."},
    {"film": "Cats", "date": "2024-02-01", "text": "Dreadful. The CGI is a nightmare and the songs are forgettable."},
    {"film": "Cats", "date": "2024-02-14", "text": ""},
]


def _analysis(id: str, p: float, stars: float, aspects: tuple[tuple[str, float], ...] = ()) -> ReviewFacts:
    judged = tuple(
        AspectJudgement(name, polarity, Quote(name, ((0, 1),)), Quote(f"the {name} ({polarity})", ((0, 1),)), 0)
        for name, polarity in aspects
    )
    label = "positive" if p >= 0.5 else "negative"
    return facts_of(Analysis(id=id, label=label, probability=p, stars=stars, score=p - 0.5, aspects=judged))


def test_the_share_is_the_maximum_likelihood_estimate_of_the_reviews_probabilities() -> None:
    tally = ProbabilityTally()
    for p in (0.9, 0.8, 0.2, 0.1):
        tally.add(p, p > 0.5)
    share = share_estimate(tally)
    sld = ShareAggregate.of([0.9, 0.8, 0.2, 0.1]).estimate("sld")
    assert share.value == 0.5 == round(sld.value, 4)  # a balanced group, read as balanced
    assert (share.low, share.high) == (round(sld.low, 4), round(sld.high, 4)) and share.low < 0.5 < share.high
    assert (share_estimate(ProbabilityTally()).low, share_estimate(ProbabilityTally()).high) == (0.0, 1.0)


def test_counted_share_has_the_wilson_interval() -> None:
    tally = CountTally()
    for positive in (True,) * 8 + (False,) * 2:
        tally.add(positive)
    share = counted_share(tally)
    # Wilson 95% for 8 of 10: 0.4902 to 0.9433 (hand-computed)
    assert share.value == 0.8 and share.low == pytest.approx(0.4902, abs=1e-4)
    assert share.high == pytest.approx(0.9433, abs=1e-4)


def test_a_film_tally_counts_shares_stars_aspects_and_months() -> None:
    tally = FilmTally()
    tally.add(_analysis("1", 0.9, 8.2, (("acting", 0.8), ("story", -0.5))), "2024-01")
    tally.add(_analysis("2", 0.3, 3.6, (("acting", -0.2), ("acting", -0.6))), "2024-02")
    tally.add(facts_of(Analysis.failed("3", "empty review")), "2024-02")
    summary = film_summary("Vertigo", tally)
    assert (summary.reviews, summary.failed) == (3, 1)
    assert summary.share.value == round(ShareAggregate.of([0.9, 0.3]).estimate("sld").value, 4)
    assert summary.method == "sld" and summary.stars == 5.9
    assert summary.histogram == (0, 0, 0, 1, 0, 0, 0, 1, 0, 0)
    acting = next(a for a in summary.aspects if a.aspect == "acting")
    assert acting.reviews == 2 and acting.share.value == 0.5
    assert [q.polarity for q in acting.quotes] == [0.8, -0.6, -0.2]  # strongest first
    assert [m.month for m in summary.months] == ["2024-01", "2024-02"]
    assert [m.reviews for m in summary.months] == [1, 1]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.0, 1.0), st.floats(1.0, 10.0), st.sampled_from(["acting", "story"]), st.floats(-1, 1)),
        min_size=1,
        max_size=30,
    ),
    st.integers(0, 30),
)
def test_merged_tallies_equal_one_tally_of_all_reviews(rows: list[tuple[float, float, str, float]], cut: int) -> None:
    analyses = [_analysis(str(i), p, s, ((a, pol),)) for i, (p, s, a, pol) in enumerate(rows)]
    whole, first, second = FilmTally(), FilmTally(), FilmTally()
    for i, analysis in enumerate(analyses):
        whole.add(analysis, "2024-01")
        (first if i < cut else second).add(analysis, "2024-01")
    first.merge(second)
    assert film_summary("f", first) == film_summary("f", whole)


def test_months_are_read_from_common_date_forms() -> None:
    assert month_of("2024-03-17") == "2024-03"
    assert month_of("2024/3/17 10:00") == "2024-03"
    assert month_of(date(2023, 12, 1)) == "2023-12"
    assert month_of(0) == "1970-01"
    assert month_of("17 March 2024") is None and month_of("") is None and month_of(None) is None


@pytest.mark.parametrize(
    ("cell", "month"),
    [
        (1_710_000_000, "2024-03"),  # Unix seconds
        ("1710000000", "2024-03"),  # the same, as a CSV cell
        (1_710_000_000_000, "2024-03"),  # milliseconds, as JavaScript writes them
        (20240317, "2024-03"),  # YYYYMMDD, not seconds in 1970
        ("20240317", "2024-03"),
        (float("nan"), None),
        (float("inf"), None),
        (-5, None),
        (1e30, None),  # past any calendar: no month rather than a traceback
        (True, None),
    ],
)
def test_a_number_names_its_month_or_none(cell: object, month: str | None) -> None:
    assert month_of(cell) == month


def test_summarize_gives_one_summary_per_film_most_reviewed_first() -> None:
    summaries = summarize(REVIEWS, by="film", date="date", jobs=1)
    assert [s.group for s in summaries] == ["Vertigo", "Cats"]
    vertigo, cats = summaries
    assert vertigo.reviews == 3 and vertigo.failed == 0 and vertigo.share.value > 0.5
    assert cats.reviews == 2 and cats.failed == 1 and cats.share.value < 0.5
    assert {a.aspect for a in vertigo.aspects} >= {"music"}
    assert [m.month for m in vertigo.months] == ["2024-01", "2024-02"]
    data = vertigo.to_dict()
    assert set(data) >= {"group", "reviews", "share_positive", "method", "stars", "histogram", "aspects", "months"}
    row = vertigo.to_row(["acting", "music"])
    assert row["music_reviews"] >= 1 and row["acting_reviews"] == 0


def test_summarize_refuses_what_it_cannot_read() -> None:
    with pytest.raises(ThumbsError, match="by="):
        summarize(REVIEWS, by="")
    with pytest.raises(ThumbsError, match="no 'studio' column"):
        summarize(REVIEWS, by="studio")
    with pytest.raises(ThumbsError, match="mappings"):
        summarize(["A fine film."], by="film")  # type: ignore[list-item]


def test_the_public_api_summarizes() -> None:
    summaries = thumbs.summarize(REVIEWS[:2], by="film")
    assert isinstance(summaries[0], thumbs.FilmSummary) and summaries[0].reviews == 2


def test_a_films_stars_follow_its_corrected_share() -> None:
    tally = FilmTally()
    for p, stars in ((0.7, 7.0), (0.6, 6.0), (0.4, 4.0)):
        tally.add(_analysis(str(p), p, stars))
    plain = film_summary("f", tally)
    moved = film_summary("f", tally, camp_gap=6.0)
    aggregate = tally.share.aggregate()
    expected = 17.0 / 3 + (aggregate.estimate("sld").value - aggregate.sum_p / 3) * 6.0
    assert plain.stars == round(17.0 / 3, 2) and moved.stars == round(expected, 2)
    assert moved.stars_high - moved.stars_low == pytest.approx(plain.stars_high - plain.stars_low, abs=0.02)


def test_phrase_counts_stay_bounded_and_the_frequent_ones_exact() -> None:
    """Thousands of one-off phrases never grow a film's counter past its cap; the praised phrase keeps its count."""
    tally = FilmTally()
    for i in range(3 * PHRASES_KEPT_PER_SIGN):
        phrases = (("a delight", 1), (f"one-off phrase {i}", 1), ("dull", -1))
        tally.add(ReviewFacts(str(i), positive=True, probability=0.8, stars=8.0, phrases=phrases))
        assert len(tally.praised) <= PHRASES_KEPT_PER_SIGN
    summary = film_summary("f", tally)
    assert summary.praised[0] == ("a delight", 3 * PHRASES_KEPT_PER_SIGN)
    assert summary.criticized == (("dull", 3 * PHRASES_KEPT_PER_SIGN),)
