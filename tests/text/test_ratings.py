"""Scores written in a review's text: the phrasings reviewers use, and what only looks like a score."""

from __future__ import annotations

import pytest

from thumbs.text.ratings import Rating, ratings_in


def _read(text: str) -> list[tuple[str, float | None]]:
    return [(r.text, r.out_of_ten) for r in ratings_in(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/10", [("3/10", 3.0)]),
        ("Dreadful. 9/10", [("9/10", 9.0)]),
        ("10/10, would watch again", [("10/10", 10.0)]),
        ("0/10", [("0/10", 0.0)]),
        ("I give it 7.5/10.", [("7.5/10", 7.5)]),
        ("Verdict: 7 / 10", [("7 / 10", 7.0)]),
        ("2/5", [("2/5", 4.0)]),
        ("4/5 stars", [("4/5 stars", 8.0)]),
        ("85/100", [("85/100", 8.5)]),
        ("Rating: 3/4", [("3/4", 7.5)]),
        ("7 out of 10", [("7 out of 10", 7.0)]),
        ("seven out of ten", [("seven out of ten", 7.0)]),
        ("8 out of a possible 10.", [("8 out of a possible 10", 8.0)]),
        ("4 out of 5 stars", [("4 out of 5 stars", 8.0)]),
        ("Four stars out of five.", [("Four stars out of five", 8.0)]),
        ("2 stars out of 4", [("2 stars out of 4", 5.0)]),
        ("4 stars", [("4 stars", None)]),
        ("1 star", [("1 star", None)]),
        ("One star. Avoid.", [("One star", None)]),
        ("zero stars", [("zero stars", None)]),
        ("I'd give it 3 1/2 stars", [("3 1/2 stars", None)]),
        ("three and a half stars", [("three and a half stars", None)]),
        ("3½ stars", [("3½ stars", None)]),
        ("ten stars!", [("ten stars", None)]),
        ("★★☆☆☆", [("★★☆☆☆", 4.0)]),
        ("★★★★★★★★☆☆", [("★★★★★★★★☆☆", 8.0)]),
        ("★★★½", [("★★★½", 7.0)]),
        ("A mess.<br /><br />2/10", [("2/10", 2.0)]),
        ("i give it 3 / 10 .", [("3 / 10", 3.0)]),  # the corpora's tokenized form
    ],
)
def test_reads_a_written_score(text: str, expected: list[tuple[str, float | None]]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2/3 of the film is filler",  # a fraction: no score is out of 3
        "3/4 of the way through it falls apart",  # a fraction of something
        "I was 3/4 through when I gave up",  # out of 4 only alone or with stars
        "1/4 of the budget went on the poster",
        "9 out of 10 people will hate it",
        "one out of ten times it works",
        "9/11 changed everything",  # a date: no scale of 11
        "Released 1/2/2005 in the US",
        "On 5/10 I saw it again",
        "It runs 24/7 on cable",
        "the two stars of the film have no chemistry",
        "The two stars have no chemistry",
        "Its three stars are wasted",
        "Part two stars Tom Hanks as a lawyer",
        "a four-star general",
        "a 5 star hotel",
        "It's 11/10, the best film ever",  # above its scale
        "Crime Doctor #4/10 is the best of the series",  # a series number
        "It cost $7.5/10 minutes of screen time",
        "Three quarters (3/4) of it is padding",
        "A star is born",
        "",
    ],
)
def test_what_only_looks_like_a_score_is_not_one(text: str) -> None:
    assert ratings_in(text) == []


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("zero stars", (0.0, 0.0)),
        ("1 star", (1.0, 2.5)),  # out of 10, 5 or 4: low whatever the scale
        ("2 stars", (2.0, 5.0)),
        ("a very generous 4 stars", (4.0, 10.0)),  # IMDb's 4/10 or a critic's 4/4
        ("7 stars", (7.0, 7.0)),  # only out of 10
        ("ten stars", (10.0, 10.0)),
        ("4 out of 5 stars", (8.0, 8.0)),
    ],
)
def test_stars_without_a_scale_are_a_range(text: str, bounds: tuple[float, float]) -> None:
    (rating,) = ratings_in(text)
    assert rating.bounds == bounds


def test_several_scores_in_order_with_their_places() -> None:
    text = "Acting 8/10, story 2 out of 5; overall ★★★☆☆."
    ratings = ratings_in(text)
    assert [r.out_of_ten for r in ratings] == [8.0, 4.0, 6.0]
    assert all(text[r.start : r.end] == r.text for r in ratings)


def test_a_score_is_found_once_where_two_patterns_overlap() -> None:
    assert ratings_in("4 out of 5 stars") == [Rating("4 out of 5 stars", 4.0, 5, 0, 16)]


def test_a_score_mid_text_is_found_far_from_the_start() -> None:
    text = "filler words " * 500 + "and in the end, two stars out of five."
    assert _read(text) == [("two stars out of five", 4.0)]


def test_text_whose_lower_case_is_longer_keeps_its_offsets() -> None:
    text = "İstanbul scenes aside, 4 stars and 8 out of 10."  # "İ".lower() is two characters
    assert [(text[r.start : r.end], r.out_of_ten) for r in ratings_in(text)] == [
        ("4 stars", None),
        ("8 out of 10", 8.0),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CANNIBAL FEROX (1+ outta 5 stars) Miserable", [("1+ outta 5 stars", 2.0)]),
        ("It was 1 and a half out of 5 stars", [("1 and a half out of 5 stars", 3.0)]),
        ("out of 5 stars he gave it one", []),  # the scale alone is no score
        ("less than 5 stars", []),
        ("the only one out of five hundred to survive", []),
        ("In nine out of ten, you can see the next scene coming", []),
        ("two stars who rise to the occasion", []),
    ],
)
def test_what_reviews_of_aclimdb_wrote_around_scores(text: str, expected: list[tuple[str, float | None]]) -> None:
    assert _read(text) == expected


def test_a_plural_after_a_score_makes_it_a_fraction_of_a_group() -> None:
    assert ratings_in("Eight out of ten members of the community agreed.") == []
    assert ratings_in("Four out of five sequels are worse.") == []
    assert [(r.value, r.scale) for r in ratings_in("7 out of 10 is fair, 2 out of 10 points for the plot.")] == [
        (7.0, 10),
        (2.0, 10),
    ]
