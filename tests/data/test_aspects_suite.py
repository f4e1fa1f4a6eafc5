"""tests/data/aspects.jsonl, the hand-labelled aspect suite: what each review says of the acting, the story, the music...

Each item is a short review with every aspect it judges, the aspect's polarity at the level of its clause, and the
words that name it. Only the suite's shape is checked here (no model): the aspect finder's accuracy on it is measured
elsewhere, not asserted.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.table_files import read_suite

SUITE = Path(__file__).resolve().parent / "aspects.jsonl"
ASPECTS = {"acting", "story", "direction", "visuals", "music", "effects", "pacing", "humor"}
LABELS = {"positive", "negative"}
#: The phenomena and the fewest items each must have.
MIN_PER_PHENOMENON = {
    "single": 80,
    "multi": 70,
    "contrast": 60,
    "negation": 60,
    "role": 40,
    "implicit": 40,
    "none": 50,
    "mixed-review": 40,
}
PHENOMENA = set(MIN_PER_PHENOMENON)
MIN_ITEMS = 450
MIN_JUDGEMENTS = 500
MIN_PER_ASPECT = 40
MIN_PER_ASPECT_AND_POLARITY = 15
MAX_TEXT_CHARS = 600
FIELDS = {"id", "text", "aspects", "phenomenon"}
ASPECT_FIELDS = {"aspect", "polarity", "term"}


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return read_suite(SUITE)


@pytest.fixture(scope="module")
def judgements(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [judgement for item in items for judgement in item["aspects"]]


def test_fields(items: list[dict[str, Any]]) -> None:
    for item in items:
        assert item.keys() == FIELDS, item.get("id")
        assert isinstance(item["text"], str) and item["text"].strip() == item["text"] and item["text"], item["id"]
        assert len(item["text"]) < MAX_TEXT_CHARS, item["id"]
        assert item["phenomenon"] in PHENOMENA, item["id"]
        assert isinstance(item["aspects"], list), item["id"]


def test_ids_are_unique_and_prefixed_by_their_phenomenon(items: list[dict[str, Any]]) -> None:
    ids = Counter(item["id"] for item in items)
    assert [i for i, n in ids.items() if n > 1] == []
    for item in items:
        prefix, _, number = item["id"].rpartition("-")
        assert prefix == item["phenomenon"] and number.isdigit(), item["id"]


def test_texts_are_unique(items: list[dict[str, Any]]) -> None:
    texts = Counter(" ".join(item["text"].split()).casefold() for item in items)
    assert [t for t, n in texts.items() if n > 1] == []


def test_aspects_are_well_formed(items: list[dict[str, Any]]) -> None:
    for item in items:
        for judgement in item["aspects"]:
            assert judgement.keys() == ASPECT_FIELDS, item["id"]
            assert judgement["aspect"] in ASPECTS, item["id"]
            assert judgement["polarity"] in LABELS, item["id"]
            assert isinstance(judgement["term"], str) and judgement["term"].strip(), item["id"]
            assert judgement["term"] in item["text"], (item["id"], judgement["term"])
        named = Counter(judgement["aspect"] for judgement in item["aspects"])
        assert [a for a, n in named.items() if n > 1] == [], item["id"]


def test_none_items_judge_nothing_and_the_others_judge_something(items: list[dict[str, Any]]) -> None:
    for item in items:
        if item["phenomenon"] == "none":
            assert item["aspects"] == [], item["id"]
        else:
            assert item["aspects"], item["id"]


def test_suite_is_large_enough(items: list[dict[str, Any]], judgements: list[dict[str, Any]]) -> None:
    assert len(items) >= MIN_ITEMS
    assert len(judgements) >= MIN_JUDGEMENTS


def test_every_phenomenon_has_enough_items(items: list[dict[str, Any]]) -> None:
    counts = Counter(item["phenomenon"] for item in items)
    assert set(counts) == PHENOMENA
    assert {name: n for name, n in counts.items() if n < MIN_PER_PHENOMENON[name]} == {}


def test_every_aspect_is_judged_often_both_ways(judgements: list[dict[str, Any]]) -> None:
    per_aspect = Counter(judgement["aspect"] for judgement in judgements)
    assert set(per_aspect) == ASPECTS
    assert {name: n for name, n in per_aspect.items() if n < MIN_PER_ASPECT} == {}
    per_polarity = Counter((judgement["aspect"], judgement["polarity"]) for judgement in judgements)
    short = {
        (aspect, polarity): per_polarity[aspect, polarity]
        for aspect in ASPECTS
        for polarity in LABELS
        if per_polarity[aspect, polarity] < MIN_PER_ASPECT_AND_POLARITY
    }
    assert short == {}
