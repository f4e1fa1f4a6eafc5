"""tests/data/phenomena.jsonl, the contrast-and-negation suite, and benchmarks/phenomena.py over it.

The suite's shape is checked here; the model's accuracy on it is measured, not asserted
(the model has not been taught these phenomena yet).
"""

from __future__ import annotations

import contextlib
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.scripts import load_script
from tests.helpers.table_files import read_suite

SUITE = Path(__file__).resolve().parent / "phenomena.jsonl"
PHENOMENA = {
    "negation-scope",
    "double-negation",
    "contrast",
    "concession",
    "expectation",
    "faint-praise",
    "sarcasm",
    "intensifier",
    "comparison",
    "rating",
    "control",
}
#: The phenomena whose items name the clause after their contrast word.
WITH_CLAUSES = {"contrast", "concession"}
LABELS = {"positive", "negative"}


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return read_suite(SUITE)


def test_suite_is_large_enough(items: list[dict[str, Any]]) -> None:
    assert len(items) >= 300


def test_fields(items: list[dict[str, Any]]) -> None:
    for item in items:
        assert {"id", "text", "label", "phenomenon"} <= item.keys() <= {"id", "text", "label", "phenomenon", "clauses"}
        assert isinstance(item["text"], str) and item["text"].strip() == item["text"] and item["text"]
        assert item["label"] in LABELS, item["id"]
        assert item["phenomenon"] in PHENOMENA, item["id"]


def test_ids_and_texts_are_unique(items: list[dict[str, Any]]) -> None:
    ids = Counter(item["id"] for item in items)
    assert [i for i, n in ids.items() if n > 1] == []
    texts = Counter(" ".join(item["text"].split()).casefold() for item in items)
    assert [t for t, n in texts.items() if n > 1] == []


def test_every_phenomenon_has_enough_items(items: list[dict[str, Any]]) -> None:
    counts = Counter(item["phenomenon"] for item in items)
    assert set(counts) == PHENOMENA
    assert {name: n for name, n in counts.items() if n < 15} == {}


def test_contrast_clauses_are_substrings(items: list[dict[str, Any]]) -> None:
    for item in items:
        if item["phenomenon"] in WITH_CLAUSES:
            assert item.get("clauses"), item["id"]
        for clause in item.get("clauses", ()):
            assert clause.keys() == {"text", "polarity"}, item["id"]
            assert clause["polarity"] in LABELS, item["id"]
            assert clause["text"] and clause["text"] in item["text"], item["id"]


def test_benchmark_reports_every_phenomenon(items: list[dict[str, Any]]) -> None:
    phenomena = load_script("phenomena")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = phenomena.main(["--suite", str(SUITE), "--json"])
    assert code == 0
    figures = json.loads(printed.getvalue())
    counts = Counter(item["phenomenon"] for item in items)
    assert figures["suite_items"] == len(items)
    assert {name: row["count"] for name, row in figures["phenomena"].items()} == counts
    assert sum(row["count"] for row in figures["phenomena"].values()) == len(items)
    assert sum(row["correct"] for row in figures["phenomena"].values()) == figures["correct"]
    assert all(0 <= row["correct"] <= row["count"] for row in figures["phenomena"].values())
    assert figures["clauses"]["count"] == sum(len(item.get("clauses", ())) for item in items)
    assert figures["clauses"]["unmatched"] == 0
    assert 0 <= figures["stars_contradictions"] <= len(items)
    assert figures["errors"] == []

    table = io.StringIO()
    with contextlib.redirect_stdout(table):
        assert phenomena.main(["--suite", str(SUITE)]) == 0
    for name in PHENOMENA:
        assert name in table.getvalue()
