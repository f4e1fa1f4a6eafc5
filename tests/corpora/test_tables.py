"""Reading user tables: CSV/TSV, JSON Lines, Parquet; the streaming row reader; skipped rows; one-line errors."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from thumbs.corpora import Document, tables
from thumbs.corpora.labelled import SkippedRow, iter_problems, read_table
from thumbs.corpora.tables import Row, open_stream, open_table
from thumbs.errors import DataFormatError, DataNotFoundError


def one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(exc.value)
    assert message and "\n" not in message
    return message


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_csv_basic_with_skipped_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "reviews.csv",
        "review,label,stars\n"
        '"Great, really great.",positive,9\n'
        ",negative,2\n"
        '"Dull.",,3\n'
        '"Fine, I guess.",negative,lots\n'
        '"Two lines\nin one cell.",negative,4.5\n',
    )
    data = read_table(path, text_column="review", label_column="label", rating_column="stars")
    assert data.documents == [
        Document(id="1", text="Great, really great.", label="positive", rating=9.0),
        Document(id="5", text="Two lines\nin one cell.", label="negative", rating=4.5),
    ]
    assert data.skipped == [
        SkippedRow(2, "empty text in column 'review'"),
        SkippedRow(3, "empty label in column 'label'"),
        SkippedRow(4, "rating 'lots' is not a number"),
    ]
    assert list(iter_problems(data, limit=2))[-1] == "... and 1 more skipped rows"


def test_tsv_ids_multiclass_and_bom(tmp_path: Path) -> None:
    path = write(
        tmp_path, "bands.tsv", "\ufeffid\ttext\tband\na7\tloved it\t4\nb2\thated it\t1\n\nc3\tmeh\t2\na7\tagain\t3\n"
    )
    data = read_table(path, text_column="text", label_column="band", id_column="id")
    assert [(d.id, d.label) for d in data.documents] == [("a7", "4"), ("b2", "1"), ("c3", "2")]
    assert data.skipped == [SkippedRow(4, "repeats id 'a7' of row 1")]
    assert all(d.rating is None for d in data.documents)


def test_csv_without_label_and_ragged_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.csv", "text,extra\nhello,1\nonly one field\nbye,2,3\nagain,4\n")
    data = read_table(path, text_column="text")
    assert [(d.id, d.text, d.label) for d in data.documents] == [("1", "hello", None), ("4", "again", None)]
    assert [s.row for s in data.skipped] == [2, 3]
    assert "has 1 fields but the header has 2" in data.skipped[0].reason


def test_csv_long_field(tmp_path: Path) -> None:
    long_text = "word " * 60_000  # beyond the csv module's default 128 KiB field limit
    path = write(tmp_path, "long.csv", f'text\n"{long_text}"\n')
    assert read_table(path, text_column="text").documents[0].text == long_text


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson"])
def test_jsonl(tmp_path: Path, suffix: str) -> None:
    rows = [
        {"t": "good", "y": 1, "r": 8},
        {"t": "bad", "y": 0, "r": 2.5},
        {"t": "", "y": 1},
        {"t": "no label"},
        {"t": "odd", "y": "pos", "r": None},
    ]
    text = "\n".join(json.dumps(r) for r in rows[:2]) + "\n\n" + "\n".join(json.dumps(r) for r in rows[2:])
    path = write(tmp_path, "r" + suffix, text + "\n")
    data = read_table(path, text_column="t", label_column="y", rating_column="r")
    assert [(d.id, d.label, d.rating) for d in data.documents] == [
        ("1", "1", 8.0),
        ("2", "0", 2.5),
        ("5", "pos", None),
    ]
    assert [s.row for s in data.skipped] == [3, 4]


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "r.parquet"
    table = pa.table(
        {
            "text": ["nice", None, "poor", "so-so"],
            "label": [1.0, 1.0, 0.0, None],
            "rating": [9, 8, None, 5],
        }
    )
    pq.write_table(table, path)
    data = read_table(path, text_column="text", label_column="label", rating_column="rating")
    assert [(d.id, d.text, d.label, d.rating) for d in data.documents] == [
        ("1", "nice", "1", 9.0),
        ("3", "poor", "0", None),
    ]
    assert data.skipped == [
        SkippedRow(2, "empty text in column 'text'"),
        SkippedRow(4, "empty label in column 'label'"),
    ]


# --- errors: one line each, saying how to fix it ----------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError) as exc:
        read_table(tmp_path / "nope.csv", text_column="text")
    assert "file not found" in one_line(exc)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(DataNotFoundError) as exc:
        read_table(folder, text_column="text")
    assert "is not a file" in one_line(exc)


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_empty_file(tmp_path: Path, content: bytes, suffix: str) -> None:
    path = write(tmp_path, "empty" + suffix, content)
    with pytest.raises(DataFormatError) as exc:
        read_table(path, text_column="text")
    message = one_line(exc)
    assert "empty" in message or "whitespace" in message or "Parquet" in message


def test_header_only(tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", "text,label\n")
    with pytest.raises(DataFormatError) as exc:
        read_table(path, text_column="text", label_column="label")
    assert "no data rows" in one_line(exc)


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "latin.csv", b"text\nfine\n" + "caf\xe9 au lait\n".encode("latin-1"))
    with pytest.raises(DataFormatError) as exc:
        read_table(path, text_column="text")
    message = one_line(exc)
    assert "not UTF-8" in message and "line 3" in message and "re-save it as UTF-8" in message


def test_missing_column_lists_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "body,sentiment\nnice,pos\n")
    with pytest.raises(DataFormatError) as exc:
        read_table(path, text_column="text", label_column="sentiment")
    assert one_line(exc) == (
        f"column 'text' not found in {path}; its columns are: 'body', 'sentiment': name one of those"
    )
    jsonl = write(tmp_path, "r.jsonl", '{"body": "x"}\n')
    with pytest.raises(DataFormatError) as exc:
        read_table(jsonl, text_column="body", label_column="label")
    assert "'label' not found" in one_line(exc)


def test_unsupported_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "r.xlsx", b"PK")
    with pytest.raises(DataFormatError) as exc:
        read_table(path, text_column="text")
    assert "unsupported file type '.xlsx'" in one_line(exc) and ".csv" in str(exc.value)


def test_malformed_json_line(tmp_path: Path) -> None:
    path = write(tmp_path, "r.jsonl", '{"text": "ok"}\n\n{"text": oops}\n')
    with pytest.raises(DataFormatError) as exc:
        read_table(path, text_column="text")
    assert "line 3 is not valid JSON" in one_line(exc)
    path = write(tmp_path, "list.jsonl", '["text", "ok"]\n')
    with pytest.raises(DataFormatError) as exc:
        read_table(path, text_column="text")
    assert "holds a list, not a JSON object" in one_line(exc)


def test_not_parquet(tmp_path: Path) -> None:
    path = write(tmp_path, "r.parquet", b"text\nhello\n")
    with pytest.raises(DataFormatError) as exc:
        read_table(path, text_column="text")
    assert "not a readable Parquet file" in one_line(exc)


def test_broken_csv_and_a_non_utf8_header_are_refused_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = csv.field_size_limit()
    monkeypatch.setattr(tables, "CSV_FIELD_LIMIT", 20)  # the one csv.Error a real file can still cause
    path = write(tmp_path, "big.csv", "text\nfine\n" + "x" * 30 + "\n")
    try:
        with pytest.raises(DataFormatError) as exc:
            read_table(path, text_column="text")
    finally:
        csv.field_size_limit(limit)  # the csv module's limit is global
    assert "line 3 is not valid CSV (field larger than field limit" in one_line(exc)
    path = write(tmp_path, "header.csv", "caf\xe9,text\nx,good\n".encode("latin-1"))
    with pytest.raises(DataFormatError) as exc:
        read_table(path, text_column="text")
    assert "line 1 is not UTF-8 (byte 0xe9" in one_line(exc)


# --- the streaming row reader that read_table and thumbs analyze share ------------------------


WANT_TEXT = {"text": "pass one to --text-column"}


def test_csv_rows_carry_numbers_values_and_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", b'\xef\xbb\xbfid,text\n\na,"one\ntwo"\nb\nc,caf\xe9\nd,fine\n')
    table = open_table(path, WANT_TEXT)
    assert (table.format, table.columns, table.count) == ("csv", ("id", "text"), None)
    rows = list(table.rows())
    assert rows[0] == Row(1, {"id": "a", "text": "one\ntwo"})
    assert rows[1] == Row(2, None, "has 1 fields but the header has 2 (line 5)")
    assert rows[2].values == {"id": "c", "text": "caf\udce9"}  # the bad byte kept: the caller decides
    assert rows[2].broken is not None and rows[2].broken.startswith("line 6 is not UTF-8 (byte 0xe9")
    assert rows[3] == Row(4, {"id": "d", "text": "fine"})
    assert list(table.rows()) == rows  # a file is read anew each time


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_csv_line_endings_of_every_system(tmp_path: Path, newline: str) -> None:
    text = newline.join(["id,text", 'a,"two', 'lines"', "b,fine", ""])
    data = read_table(write(tmp_path, "r.csv", text), text_column="text", id_column="id")
    assert [(d.id, d.text) for d in data.documents] == [("a", f"two{newline}lines"), ("b", "fine")]


def test_jsonl_rows_and_columns_from_the_first_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "r.jsonl", b'\xef\xbb\xbf{"text": "a"}\n\n{"text": "b", "id": 2}\n[1]\n{bad\n"\xff"\n')
    table = open_table(path, WANT_TEXT)
    assert table.columns == ("text", "id")
    rows = list(table.rows())
    assert [row.number for row in rows] == [1, 2, 3, 4, 5]
    assert rows[:2] == [Row(1, {"text": "a"}), Row(2, {"text": "b", "id": 2})]
    assert "line 4 holds a list, not a JSON object" in (rows[2].problem or "")
    assert "line 5 is not valid JSON" in (rows[3].problem or "")
    assert "line 6 is not UTF-8 (byte 0xff" in (rows[4].problem or "")
    assert all(row.broken == row.problem for row in rows[2:])
    late = write(tmp_path, "late.jsonl", '{"x": 1}\n' * 20 + '{"text": "too late to count"}\n')
    with pytest.raises(DataFormatError) as exc:
        open_table(late, {"text": "name one of those"})
    assert one_line(exc) == f"column 'text' not found in {late}; its columns are: 'x': name one of those"


def test_blank_tables_are_refused_in_every_line_format(tmp_path: Path) -> None:
    for name in ("b.csv", "b.tsv", "b.jsonl"):
        with pytest.raises(DataFormatError) as exc:
            open_table(write(tmp_path, name, "\n \n\t\n"), WANT_TEXT)
        assert "holds only whitespace" in one_line(exc)


def test_parquet_is_read_in_batches_with_only_the_named_columns(tmp_path: Path) -> None:
    path = tmp_path / "r.parquet"
    pq.write_table(pa.table({"text": [f"t{i}" for i in range(7)], "other": list(range(7))}), path, row_group_size=3)
    table = open_table(path, WANT_TEXT)
    assert (table.columns, table.count) == (("text", "other"), 7)
    assert list(table.rows()) == [Row(i + 1, {"text": f"t{i}"}) for i in range(7)]


def test_a_stream_is_checked_from_its_top_and_read_lazily_once() -> None:
    taken = 0

    def lines() -> Iterator[bytes]:
        nonlocal taken
        yield b"id,text\n"
        for i in range(10_000):
            taken += 1
            yield f"{i},review {i}\n".encode()

    table = open_stream("stdin", "csv", lines(), WANT_TEXT)
    assert table.columns == ("id", "text") and taken < 25  # only the top was read to check it
    rows = table.rows()
    first = [next(rows) for _ in range(30)]
    assert first[-1] == Row(30, {"id": "29", "text": "review 29"}) and taken <= 31
    assert sum(1 for _ in rows) == 10_000 - 30
    with pytest.raises(DataFormatError) as exc:
        open_stream("stdin", "jsonl", iter([b'{"body": "x"}\n']), WANT_TEXT)
    assert one_line(exc).endswith("its columns are: 'body': pass one to --text-column")


def test_a_row_that_is_no_review_is_skipped_with_the_one_rule(tmp_path: Path) -> None:
    """Rows of punctuation or symbols alone are skipped and reported, as the analysis would refuse them."""
    from thumbs.corpora.labelled import read_table
    from thumbs.text.review import review_problem

    path = tmp_path / "odd.csv"
    path.write_text("text,label\nA fine film.,pos\n!!! ???,neg\n\u200b,neg\nDull.,neg\n", encoding="utf-8")
    data = read_table(path, text_column="text", label_column="label")
    assert [d.text for d in data.documents] == ["A fine film.", "Dull."]
    assert [s.row for s in data.skipped] == [2, 3]
    assert data.skipped[0].reason == f"text in column 'text': {review_problem('!!! ???')}"
