"""The batch reader's policy over the table reader it shares with training (thumbs.corpora.tables).

``thumbs analyze`` and ``thumbs train`` read a table with the same code; they differ only in what
they do with a record that cannot be read: training refuses a broken file whole, the batch makes
an error result for that record and goes on. These tests pin that split, the one format map and
the one length limit, and that the batch reads a table lazily with flat memory.
"""

from __future__ import annotations

import inspect
import json
import sys
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.helpers.tiny_model import tiny_model
from thumbs.batch.sources import read_records
from thumbs.corpora.labelled import read_table
from thumbs.errors import DataFormatError, ThumbsError
from thumbs.text.review import BLANK, EMPTY, MAX_REVIEW_CHARS, NO_WORDS, not_utf8, review_problem, too_long


def errors(path: Path, text_column: str, id_column: str) -> list[tuple[str | None, str | None]]:
    return [(r.id, r.error) for r in read_records([str(path)], text_column=text_column, id_column=id_column)]


def test_one_length_limit() -> None:
    assert inspect.signature(read_records).parameters["max_chars"].default == MAX_REVIEW_CHARS


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("latin.csv", b"id,text\na,fine\nb,caf\xe9\nc,good\n", "not UTF-8"),
        (
            "bad.jsonl",
            b'{"id": "a", "text": "fine"}\n{"id": "b", "text": \n{"id": "c", "text": "good"}\n',
            "line 2 is not valid JSON",
        ),
        ("list.jsonl", b'{"id": "a", "text": "fine"}\n["b"]\n{"id": "c", "text": "good"}\n', "not a JSON object"),
    ],
)
def test_a_broken_record_stops_training_but_not_the_batch(tmp_path: Path, name: str, content: bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataFormatError, match=says):
        read_table(path, text_column="text", id_column="id")
    got = errors(path, "text", "id")
    assert [error is None for _, error in got] == [True, False, True]
    assert says in (got[1][1] or "") and got[2][0] == "c"


def test_old_mac_line_endings_are_lines(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"id,text\ra,good\rb,bad\r")
    assert [(r.id, r.text) for r in read_records([str(path)], text_column="text", id_column="id")] == [
        ("a", "good"),
        ("b", "bad"),
    ]


def test_a_blank_table_is_a_mistake_in_every_format(tmp_path: Path) -> None:
    for name in ("blank.csv", "blank.jsonl"):
        (tmp_path / name).write_text("\n  \n", encoding="utf-8")
        with pytest.raises(DataFormatError, match="holds only whitespace"):
            read_records([str(tmp_path / name)], text_column="text")


class CountedLines:
    """A stdin ``buffer`` that makes lines on demand and counts how many were taken."""

    def __init__(self, first: bytes, n: int) -> None:
        self.lines = iter([first, *(f'{{"text": "review {i}"}}\n'.encode() for i in range(n))])
        self.taken = 0

    def __iter__(self) -> CountedLines:
        return self

    def __next__(self) -> bytes:
        self.taken += 1
        return next(self.lines)


def test_stdin_is_sniffed_past_blank_lines_and_a_bom_and_read_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = CountedLines(b'\xef\xbb\xbf  {"text": "first"}\n', 10_000)
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=stdin))
    records = read_records(["-"], text_column="text")
    assert stdin.taken <= 20  # the top was read to check the columns, nothing more
    first = [next(records) for _ in range(25)]
    assert [r.text for r in first[:2]] == ["first", "review 0"] and stdin.taken <= 26
    assert sum(1 for _ in records) == 10_001 - 25


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_table_is_read_with_flat_memory(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"big{suffix}"
    rows = (
        f'{{"text": "review number {i} is a fine one"}}' if suffix == ".jsonl" else f"review number {i} is a fine one"
        for i in range(50_000)
    )
    path.write_text(("" if suffix == ".jsonl" else "text\n") + "\n".join(rows) + "\n", encoding="utf-8")
    tracemalloc.start()
    try:
        n = sum(1 for record in read_records([str(path)], text_column="text") if record.error is None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert n == 50_000
    assert peak < path.stat().st_size / 4  # the whole table never sits in memory


def test_a_record_is_refused_by_the_rule_and_in_the_words_of_the_analysis(tmp_path: Path) -> None:
    """Every per-record reason is thumbs.text.review's, word for word what Model.analyze says."""
    cells: list[object] = [None, 5, ["a"], "", "  ", "!!! ?", "\U0001f600\U0001f3ac", "bad \ud800", "x" * 11, "fine"]
    path = tmp_path / "cells.jsonl"
    path.write_text("".join(json.dumps({"text": cell}) + "\n" for cell in cells), encoding="utf-8")
    got = [r.error for r in read_records([str(path)], text_column="text", max_chars=10)]
    assert got == [review_problem(cell, max_chars=10) for cell in cells]
    assert got[-1] is None and all(got[:-1])
    model = tiny_model()
    assert [model.analyze(cell).error for cell in cells[:-2]] == got[:-2]  # type: ignore[arg-type]
    assert got[5] == got[6] == NO_WORDS and got[4] == BLANK and got[3] == EMPTY


def test_a_text_file_of_emoji_or_undecodable_bytes_is_an_error_record(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("\U0001f600 !!", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"caf\xe9")
    (tmp_path / "c.txt").write_text("x" * 50, encoding="utf-8")
    (tmp_path / "d.txt").write_bytes(b"x" * 201)  # over 4 bytes a character: too long unread
    got = [r.error for r in read_records([str(tmp_path)], max_chars=50)]
    assert got == [NO_WORDS, not_utf8("byte 0xe9 at offset 3"), None, too_long(50)]


def test_extra_columns_come_with_each_record(tmp_path: Path) -> None:
    table = tmp_path / "reviews.csv"
    table.write_text("id,film,date,review\n1,Vertigo,2024-01-03,A fine film.\n2,,2024-02-01,\n", encoding="utf-8")
    records = list(read_records([str(table)], text_column="review", extra_columns=("film", "date")))
    assert [r.extra for r in records] == [("Vertigo", "2024-01-03"), ("", "2024-02-01")]
    assert records[1].error is not None  # an empty review still carries its film and date
    text_file = tmp_path / "one.txt"
    text_file.write_text("A fine film.", encoding="utf-8")
    with pytest.raises(ThumbsError, match="not a table"):  # a review file has no columns to give
        read_records([str(text_file)], extra_columns=("film",))


def test_a_missing_extra_column_is_one_line(tmp_path: Path) -> None:
    table = tmp_path / "reviews.csv"
    table.write_text("review\nA fine film.\n", encoding="utf-8")
    with pytest.raises(Exception, match="film") as raised:
        read_records([str(table)], text_column="review", extra_columns=("film",))
    assert "\n" not in str(raised.value)
