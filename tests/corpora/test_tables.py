"""Reading user tables: CSV/TSV, JSON Lines, Parquet; skipped rows; one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from thumbs.corpora import Document
from thumbs.corpora.tables import SkippedRow, iter_problems, read_table
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
        'review,label,stars\n'
        '"Great, really great.",positive,9\n'
        ',negative,2\n'
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
    path = write(tmp_path, "bands.tsv", "\ufeffid\ttext\tband\n"
                 "a7\tloved it\t4\nb2\thated it\t1\n\nc3\tmeh\t2\na7\tagain\t3\n")
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
        ("1", "1", 8.0), ("2", "0", 2.5), ("5", "pos", None),
    ]
    assert [s.row for s in data.skipped] == [3, 4]


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "r.parquet"
    table = pa.table({
        "text": ["nice", None, "poor", "so-so"],
        "label": [1.0, 1.0, 0.0, None],
        "rating": [9, 8, None, 5],
    })
    pq.write_table(table, path)
    data = read_table(path, text_column="text", label_column="label", rating_column="rating")
    assert [(d.id, d.text, d.label, d.rating) for d in data.documents] == [
        ("1", "nice", "1", 9.0), ("3", "poor", "0", None),
    ]
    assert data.skipped == [SkippedRow(2, "empty text in column 'text'"),
                            SkippedRow(4, "empty label in column 'label'")]


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
    assert "not an object" in one_line(exc)


def test_not_parquet(tmp_path: Path) -> None:
    path = write(tmp_path, "r.parquet", b"text\nhello\n")
    with pytest.raises(DataFormatError) as exc:
        read_table(path, text_column="text")
    assert "not a readable Parquet file" in one_line(exc)
