"""Tests for thumbs.batch: reading every input kind, bad records, output formats, atomic writes, resume.

A fake model (tests/batch_fakes.py) stands in for the real one: "positive" when the text holds
"good", stars = len(text) % 10, and a ValueError on the text "BOOM".
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import thumbs
from tests.helpers.batch_fakes import BOOM, FakeModel, Interrupted, expected_label, wait_until_gone
from thumbs.batch.engine import BatchSummary, fold_batch, run_batch
from thumbs.batch.journal import journal_path
from thumbs.batch.sources import Record, read_records
from thumbs.errors import DataFormatError, DataNotFoundError, ThumbsError
from thumbs.pipeline.stream import analyze_stream
from thumbs.text.review import BLANK, EMPTY, not_text

#: The repository root: the runner imports tests.helpers from it.
ROOT = Path(__file__).resolve().parents[2]


# --- helpers ----------------------------------------------------------------------------------


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def texts(n: int) -> list[str]:
    return [f"{'good' if i % 3 else 'bad'} review number {i}" for i in range(n)]


def write_csv(path: Path, rows: list[list[Any]], header: list[str] = ["id", "text"]) -> Path:  # noqa: B006
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_output(path: Path, fmt: str) -> list[dict[str, Any]]:
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as file:
            return list(csv.DictReader(file))
    return pq.read_table(path).to_pylist()


def summarize(records: Any) -> list[tuple[str | None, str | None, str | None]]:
    return [(r.id, r.text, r.error) for r in records]


def one_line_error(error_type: type[Exception], call: Any, *words: str) -> str:
    with pytest.raises(error_type) as info:
        call()
    message = str(info.value)
    assert "\n" not in message and message
    for word in words:
        assert word in message, message
    return message


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# --- reading: text files, folders, globs, stdin -------------------------------------------------


def test_a_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    folder = tmp_path / "reviews"
    write(folder / "b.txt", "good b")
    write(folder / "a" / "z.txt", "good a/z")
    write(folder / "c.TXT", "good c")
    write(folder / "notes.md", "not a review")
    write(folder / ".hidden.txt", "editor junk")
    write(folder / "._b.txt", b"\x00\x05mac junk")
    records = read_records([str(folder)])
    assert records.total == 3
    got = list(records)
    assert [r.index for r in got] == [0, 1, 2]
    assert summarize(got) == [
        (str(folder / "a" / "z.txt"), "good a/z", None),
        (str(folder / "b.txt"), "good b", None),
        (str(folder / "c.TXT"), "good c", None),
    ]


def test_files_and_globs_keep_the_order_given_and_ids_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("r2.txt", "r1.txt", "r10.txt"):
        write(tmp_path / "in" / name, f"text of {name}")
    write(tmp_path / "first.txt", "first")
    records = read_records(["first.txt", "in/*.txt"])
    assert records.total == 4
    assert [(r.index, r.id, r.text) for r in records] == [
        (0, "first.txt", "first"),
        (1, "in/r1.txt", "text of r1.txt"),
        (2, "in/r10.txt", "text of r10.txt"),
        (3, "in/r2.txt", "text of r2.txt"),
    ]


def test_bad_text_files_become_error_records_and_reading_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "reviews"
    write(folder / "1.txt", "fine and good")
    write(folder / "2.txt", b"caf\xe9 au lait")  # Latin-1
    write(folder / "3.txt", "")
    write(folder / "4.txt", " \n\t ")
    write(folder / "5.txt", "x" * 41)
    write(folder / "6.txt", "\ufeffwith a byte-order mark")
    write(folder / "7.txt", "é" * 40)  # 40 characters, 80 bytes: not too long
    got = {Path(r.id).name: r for r in read_records([str(folder)], max_chars=40)}
    assert got["1.txt"].text == "fine and good" and got["1.txt"].error is None
    assert got["2.txt"].text is None and "not UTF-8" in got["2.txt"].error and "0xe9" in got["2.txt"].error
    assert got["3.txt"].error == EMPTY and got["4.txt"].error == BLANK
    assert "too long (41 characters, the limit is 40)" in got["5.txt"].error
    assert got["6.txt"].text == "with a byte-order mark"
    assert got["7.txt"].error is None
    assert all("\n" not in (r.error or "") for r in got.values())


def test_stdin_without_a_text_column_is_one_review(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, b"A good film.\nTruly.\n")
    records = read_records(["-"])
    assert records.total == 1
    assert summarize(records) == [("-", "A good film.\nTruly.\n", None)]
    set_stdin(monkeypatch, b"\xff\xfe")
    (record,) = read_records(["-"])
    assert record.error is not None and "not UTF-8" in record.error


def test_stdin_with_a_text_column_is_json_lines_or_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, b'\n{"id": "a", "review": "good"}\nnot json\n{"id": "c", "review": "meh"}\n')
    got = summarize(read_records(["-"], text_column="review", id_column="id"))
    assert got[0] == ("a", "good", None) and got[2] == ("c", "meh", None)
    assert got[1][0] == "2" and "line 3 is not valid JSON" in got[1][2]
    set_stdin(monkeypatch, b'id,review\nx,"good, really"\ny,bad\n')
    assert summarize(read_records(["-"], text_column="review", id_column="id")) == [
        ("x", "good, really", None),
        ("y", "bad", None),
    ]
    set_stdin(monkeypatch, b'{"id": "a", "text": "good"}\n')
    one_line_error(DataFormatError, lambda: read_records(["-"], text_column="review"), "'review'", "'text'")


# --- reading: tables ----------------------------------------------------------------------------


def test_csv_streams_rows_with_ids_and_turns_bad_rows_into_errors(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    write(
        path,
        (
            b"\xef\xbb\xbfid,text,extra\r\n"
            b'r1,"a good film, with a comma\nand a second line",x\r\n'
            b"\r\n"  # a blank line is not a record
            b"r2,too,many,fields\r\n"
            b"r3,caf\xe9 latin-1,x\r\n"
            b"r4,   ,x\r\n"
            b",no id here,x\r\n"
            b"r6,BOOM,x\r\n"
        ),
    )
    records = read_records([str(path)], text_column="text", id_column="id")
    assert records.total is None
    got = summarize(records)
    assert got[0] == ("r1", "a good film, with a comma\nand a second line", None)
    assert got[1][0] == "2" and "has 4 fields but the header has 3 (line 5)" in got[1][2]  # id unreadable: row number
    assert got[2][0] == "r3" and "not UTF-8 text (byte 0xe9)" in got[2][2]
    assert got[3] == ("r4", None, BLANK)
    assert got[4] == ("5", "no id here", None)  # an empty id falls back to the row number
    assert got[5] == ("r6", "BOOM", None)
    assert len(got) == 6
    assert [r.id for r in read_records([str(path)], text_column="text")] == ["1", "2", "3", "4", "5", "6"]


def test_tsv_is_read_with_tabs(tmp_path: Path) -> None:
    path = write(tmp_path / "reviews.tsv", "review\tscore\ngood, fine\t4\nawful\t1\n")
    assert summarize(read_records([str(path)], text_column="review")) == [
        ("1", "good, fine", None),
        ("2", "awful", None),
    ]


def test_json_lines_bad_lines_and_non_text_cells_become_errors(tmp_path: Path) -> None:
    lines = [
        b'{"id": 7, "text": "a good one"}',
        b'{"id": "b", "text": 42}',
        b'{"id": "c", "text": null}',
        b'{"id": "d", "text": ["a", "list"]}',
        b'{"id": "e", "text": {"an": "object"}}',
        b'{"id": "f", "text": "unterminated',
        b'["not", "an", "object"]',
        b'{"id": "h"}',
        b'{"id": "i", "text": "caf\xe9"}',
        b'{"id": 10.0, "text": "' + b"x" * 20 + b'"}',
        b"",
        b'{"id": "k", "text": "last"}',
    ]
    path = write(tmp_path / "reviews.ndjson", b"\n".join(lines) + b"\n")
    got = summarize(read_records([str(path)], text_column="text", id_column="id", max_chars=10))
    assert got[0] == ("7", "a good one", None)
    assert got[1] == ("b", None, not_text(42))
    assert got[2] == ("c", None, not_text(None))
    assert got[3] == ("d", None, not_text([]))
    assert got[4] == ("e", None, not_text({}))
    assert got[5][0] == "6" and got[5][2].startswith("line 6 is not valid JSON")
    assert got[6][0] == "7" and "line 7 holds a list, not a JSON object" in got[6][2]
    assert got[7] == ("h", None, "no 'text' field in this record")
    assert got[8][0] == "9" and "not UTF-8" in got[8][2]
    assert got[9][0] == "10" and "the limit is 10" in got[9][2]
    assert got[10] == ("k", "last", None)
    assert len(got) == 11


def test_parquet_is_streamed_in_batches_and_counted_from_its_metadata(tmp_path: Path) -> None:
    n = 2_500
    values = texts(n)
    values[3], values[4] = None, "  "  # type: ignore[call-overload]
    path = tmp_path / "reviews.parquet"
    pq.write_table(pa.table({"review": values, "key": [f"k{i}" for i in range(n)]}), path, row_group_size=1000)
    records = read_records([str(path)], text_column="review", id_column="key")
    assert records.total == n
    got = list(records)
    assert [r.id for r in got] == [f"k{i}" for i in range(n)]
    assert [r.index for r in got] == list(range(n))
    assert got[3].error == not_text(None) and got[4].error == BLANK
    assert got[n - 1].text == values[n - 1]
    numbers = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"text": [1, 2]}), numbers)
    assert [r.error for r in read_records([str(numbers)], text_column="text")] == [not_text(1)] * 2


def test_several_sources_are_numbered_in_one_sequence(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "t.csv", [["a", "good"], ["b", "bad"]])
    single = write(tmp_path / "one.txt", "one")
    records = list(read_records([str(single), str(table)], text_column="text", id_column="id"))
    assert [(r.index, r.id) for r in records] == [(0, str(single)), (1, "a"), (2, "b")]


def test_whole_input_mistakes_are_one_line_errors_raised_before_reading(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "t.csv", [["a", "good"]])
    jsonl = write(tmp_path / "t.jsonl", '{"body": "x", "key": 1}\n')
    parquet = tmp_path / "t.parquet"
    pq.write_table(pa.table({"body": ["x"]}), parquet)
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "notes.md", "no reviews here")
    one_line_error(DataNotFoundError, lambda: read_records([str(tmp_path / "nope.txt")]), "file not found", "nope.txt")
    one_line_error(DataNotFoundError, lambda: read_records([str(tmp_path / "*.zzz")]), "no files match")
    one_line_error(DataNotFoundError, lambda: read_records([str(tmp_path / "empty")]), "no .txt files")
    one_line_error(ThumbsError, lambda: read_records([str(table)]), "--text-column")
    one_line_error(DataFormatError, lambda: read_records([str(table)], text_column="body"), "'body'", "'id', 'text'")
    one_line_error(
        DataFormatError, lambda: read_records([str(table)], text_column="text", id_column="key"), "'key'", "--id-column"
    )
    one_line_error(DataFormatError, lambda: read_records([str(jsonl)], text_column="text"), "'body', 'key'")
    one_line_error(DataFormatError, lambda: read_records([str(parquet)], text_column="text"), "'body'")
    one_line_error(DataFormatError, lambda: read_records([str(write(tmp_path / "x.parquet", "no"))], text_column="t"))
    one_line_error(
        DataFormatError, lambda: read_records([str(write(tmp_path / "e.csv", ""))], text_column="t"), "header"
    )
    one_line_error(ThumbsError, lambda: read_records([]), "no input")
    one_line_error(ThumbsError, lambda: read_records(["-", "-"]), "stdin")


# --- analyzing and writing ----------------------------------------------------------------------


@pytest.fixture
def table_300(tmp_path: Path) -> tuple[Path, list[str]]:
    """A CSV of 300 reviews (one of them BOOM, one empty) and the expected ids in order."""
    values = texts(300)
    values[10], values[20] = BOOM, ""
    return write_csv(tmp_path / "in.csv", [[f"id{i}", t] for i, t in enumerate(values)]), values


def check_rows(rows: list[dict[str, Any]], values: list[str], fmt: str) -> None:
    """One row per input, in order, with the fake model's answers and the two error rows."""
    assert [row["id"] for row in rows] == [f"id{i}" for i in range(len(values))]
    missing = "" if fmt == "csv" else None
    for i, (row, text) in enumerate(zip(rows, values, strict=True)):
        if i == 10:
            assert row["error"] == "analysis failed: ValueError: kaboom" and row["label"] == missing
        elif i == 20:
            assert row["error"] == EMPTY and row["stars"] == missing
        else:
            assert row["label"] == expected_label(text) and row["error"] == missing
            assert float(row["stars"]) == len(text) % 10
    if fmt == "jsonl":
        assert rows[10] == {"id": "id10", "label": None, "probability": None, "stars": None, "error": rows[10]["error"]}
        assert rows[0]["details"] == {"length": len(values[0]), "words": ["a", "b"]}
    else:
        assert list(rows[0]) == list(FakeModel.row_columns)


@pytest.mark.parametrize(("fmt", "jobs"), [("jsonl", 1), ("csv", 1), ("parquet", 1), ("csv", 2), ("jsonl", 2)])
def test_each_output_format_has_one_row_per_input_in_order(
    tmp_path: Path, table_300: tuple[Path, list[str]], fmt: str, jobs: int
) -> None:
    source, values = table_300
    output = tmp_path / f"out.{fmt}"
    summary = run_batch(
        FakeModel(),
        read_records([str(source)], text_column="text", id_column="id"),
        output=output,
        jobs=jobs,
        chunk_size=7,
        progress=False,
    )
    assert summary == BatchSummary(n_records=300, n_errors=2, n_skipped_resumed=0, output=str(output))
    check_rows(read_output(output, fmt), values, fmt)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", f"out.{fmt}"]  # no journal, no temp file


def test_parquet_types_come_from_names_and_values(tmp_path: Path, table_300: tuple[Path, list[str]]) -> None:
    source, _ = table_300
    output = tmp_path / "out.parquet"
    run_batch(FakeModel(), read_records([str(source)], text_column="text"), output=output, chunk_size=50)
    schema = pq.read_schema(output)
    assert [(f.name, str(f.type)) for f in schema] == [
        ("id", "string"),
        ("label", "string"),
        ("probability", "double"),
        ("stars", "double"),
        ("length", "int64"),
        ("positive", "bool"),
        ("error", "string"),
    ]


def test_the_format_follows_the_extension_unless_given(tmp_path: Path) -> None:
    records = [Record(0, "a", "good", None)]
    run_batch(FakeModel(), records, output=tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_text().startswith("id,label,")
    run_batch(FakeModel(), records, output=tmp_path / "b.out", format="parquet")
    assert pq.read_table(tmp_path / "b.out").num_rows == 1
    run_batch(FakeModel(), records, output=tmp_path / "c.txt", format="jsonl")
    assert json.loads((tmp_path / "c.txt").read_text())["id"] == "a"
    one_line_error(ThumbsError, lambda: run_batch(FakeModel(), records, output=tmp_path / "c.txt"), "--format")
    one_line_error(ThumbsError, lambda: run_batch(FakeModel(), records, output=tmp_path / "d", format="xlsx"), "xlsx")


def test_stdout_gets_json_lines_or_csv_as_they_are_ready(capsys: pytest.CaptureFixture[str]) -> None:
    records = [Record(0, "a", "good", None), Record(1, "b", None, "empty text")]
    summary = run_batch(FakeModel(), records, output=None)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"] and lines[1]["error"] == "empty text"
    assert summary.output == "-" and summary.n_errors == 1
    assert summary.line() == "analyzed 2 reviews: 1 ok, 1 failed -> stdout"
    run_batch(FakeModel(), records, output=None, format="csv")
    assert list(csv.DictReader(io.StringIO(capsys.readouterr().out)))[1]["error"] == "empty text"
    one_line_error(ThumbsError, lambda: run_batch(FakeModel(), records, output=None, format="parquet"), "--output")
    one_line_error(ThumbsError, lambda: run_batch(FakeModel(), records, output=None, resume=True), "--output")


class ModelWithErrorResults(FakeModel):
    """A model that builds its own results for reviews it cannot analyze."""

    def error_result(self, id: str | None, error: str) -> FakeFailure:
        return FakeFailure(id, error)


@dataclass(frozen=True)
class FakeFailure:
    id: str | None
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": None, "details": None, "error": self.error}

    def to_row(self) -> dict[str, Any]:
        return {**dict.fromkeys(FakeModel.row_columns), "id": self.id, "length": -1, "error": self.error}


def test_a_model_can_shape_its_own_error_results(tmp_path: Path) -> None:
    records = [Record(0, "a", "good", None), Record(1, "b", None, "empty text"), Record(2, "c", BOOM, None)]
    run_batch(ModelWithErrorResults(), records, output=tmp_path / "o.jsonl")
    lines = read_output(tmp_path / "o.jsonl", "jsonl")
    assert lines[1] == {"id": "b", "label": None, "details": None, "error": "empty text"}
    assert lines[2]["error"] == "analysis failed: ValueError: kaboom" and "details" in lines[2]
    run_batch(ModelWithErrorResults(), records, output=tmp_path / "o.csv")
    assert [row["length"] for row in read_output(tmp_path / "o.csv", "csv")] == ["4", "-1", "-1"]


def test_bad_outputs_are_one_line_errors(tmp_path: Path) -> None:
    records = [Record(0, "a", "good", None)]
    one_line_error(
        DataNotFoundError, lambda: run_batch(FakeModel(), records, output=tmp_path / "no" / "o.csv"), "create"
    )
    one_line_error(ThumbsError, lambda: run_batch(FakeModel(), records, output=tmp_path), "folder")
    one_line_error(ThumbsError, lambda: run_batch(FakeModel(), records, output=None, chunk_size=0), "chunk size")
    one_line_error(ThumbsError, lambda: run_batch(FakeModel(), records, output=tmp_path / "o.csv", jobs=0), "--jobs")
    assert list(tmp_path.iterdir()) == []  # checked before anything was written


def test_summary_line_counts_resumed_reviews() -> None:
    summary = BatchSummary(n_records=1000, n_errors=3, n_skipped_resumed=400, output="out.jsonl")
    assert summary.line() == "analyzed 1,000 reviews (400 from an earlier run): 997 ok, 3 failed -> out.jsonl"
    assert BatchSummary(1, 0, 0, "o.csv").line() == "analyzed 1 review: 1 ok, 0 failed -> o.csv"


def test_summary_line_counts_results_with_warnings(tmp_path: Path) -> None:
    assert (
        BatchSummary(10, 1, 0, "-", n_warnings=2).line()
        == "analyzed 10 reviews: 9 ok, 1 failed, 2 with warnings -> stdout"
    )

    records = [Record(1, "1", "A moving, beautifully acted film that stayed with me for days after.", None)]
    records.append(Record(2, "2", "xyzzy qwerty plugh", None))
    summary = run_batch(thumbs.load_model(), records, output=tmp_path / "out.jsonl")
    assert summary.n_warnings >= 1 and "with warnings" in summary.line()


def test_progress_bar_reports_count_and_rate_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    run_batch(FakeModel(), [Record(i, str(i), "good", None) for i in range(5)], output=None, progress=True, total=5)
    err = capsys.readouterr().err
    assert "5/5" in err and "reviews/s" in err


@pytest.mark.e2e
def test_analyze_stream_yields_result_objects_in_order() -> None:
    items: list[Any] = [("a", "good"), "bad", ["c", "so good"]] * 50
    for jobs in (1, 2):
        results = list(analyze_stream(FakeModel(), items, jobs=jobs, chunk_size=4))
        assert [r.id for r in results] == ["a", None, "c"] * 50
        assert [r.label for r in results[:3]] == ["positive", "negative", "positive"]
    with pytest.raises(ValueError, match="kaboom"):
        list(analyze_stream(FakeModel(), ["good"] * 20 + [BOOM], jobs=2))


# --- atomic writes and resume -------------------------------------------------------------------


def test_the_output_appears_only_when_complete(tmp_path: Path) -> None:
    output = tmp_path / "out.csv"
    write(output, "old results\n")
    model = FakeModel(watch=(output, journal_path(output)))
    run_batch(model, [Record(i, str(i), "good", None) for i in range(40)], output=output, chunk_size=8)
    assert len(model.seen) == 40
    assert set(model.seen) == {("old results\n", True)}  # the old file untouched, the journal in use
    assert not journal_path(output).exists()
    assert [row["id"] for row in read_output(output, "csv")] == [str(i) for i in range(40)]


def test_an_interrupted_run_resumes_after_a_torn_line(tmp_path: Path) -> None:
    records = [Record(i, f"r{i}", t, None) for i, t in enumerate(texts(100))]
    output = tmp_path / "out.parquet"
    journal = journal_path(output)
    assert journal.name == "out.parquet.partial"
    with pytest.raises(Interrupted):
        run_batch(FakeModel(interrupt_at=records[50].text), records, output=output, chunk_size=8)
    assert not output.exists()
    assert len(journal.read_text().splitlines()) == 1 + 48  # the header, then six whole chunks
    with open(journal, "a") as file:
        file.write('{"id": "r48", "lab')  # a line torn by a crash
    summary = run_batch(FakeModel(), records, output=output, chunk_size=8, resume=True)
    assert (summary.n_records, summary.n_skipped_resumed, summary.n_errors) == (100, 48, 0)
    rows = read_output(output, "parquet")
    assert [row["id"] for row in rows] == [f"r{i}" for i in range(100)]
    assert [row["label"] for row in rows] == [expected_label(t) for t in texts(100)]
    assert not journal.exists()


class OtherColumns(FakeModel):
    """A model whose flat rows have other columns: its journal header differs."""

    row_columns = ("id", "label", "error")


def test_resume_refuses_a_journal_of_other_inputs_or_another_format(tmp_path: Path) -> None:
    records = [Record(i, f"r{i}", "good", None) for i in range(30)]
    output = tmp_path / "out.csv"
    with pytest.raises(Interrupted):
        run_batch(
            FakeModel(interrupt_at="stop"), [*records[:20], Record(20, "x", "stop", None)], output=output, chunk_size=5
        )
    others = [Record(i, f"other{i}", "good", None) for i in range(30)]
    one_line_error(ThumbsError, lambda: run_batch(FakeModel(), others, output=output, resume=True), "does not match")
    one_line_error(
        ThumbsError,
        lambda: run_batch(OtherColumns(), records, output=output, resume=True),
        "another format, model or settings",
    )
    summary = run_batch(FakeModel(), records, output=output, resume=True)
    assert (summary.n_records, summary.n_skipped_resumed) == (30, 20)
    one_line_error(ThumbsError, lambda: run_batch(FakeModel(), records, output=output, resume=True), "already complete")


def test_without_resume_an_old_journal_is_overwritten(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    write(journal_path(output), '{"thumbs_journal": 1}\n{"id": "stale"}\n')
    summary = run_batch(FakeModel(), [Record(0, "fresh", "good", None)], output=output)
    assert summary.n_skipped_resumed == 0
    assert [row["id"] for row in read_output(output, "jsonl")] == ["fresh"]


RUNNER = """
import sys
sys.path.insert(0, {root!r})
from tests.helpers.batch_fakes import FakeModel
from thumbs.batch.engine import run_batch
from thumbs.batch.sources import read_records

if __name__ == "__main__":
    model = FakeModel(delay={delay!r}, pid_dir={pid_dir!r})
    records = read_records([{source!r}], text_column="text", id_column="id")
    run_batch(model, records, output={output!r}, jobs={jobs}, chunk_size=16, progress=False)
"""


def start_runner(
    tmp_path: Path, fmt: str, jobs: int, n: int = 3_000, **popen: Any
) -> tuple[subprocess.Popen[bytes], Path]:
    """Start a Python process analyzing ``n`` CSV reviews slowly into ``out.{fmt}``; wait until it is under way."""
    values = texts(n)
    source = write_csv(tmp_path / "in.csv", [[f"id{i}", t] for i, t in enumerate(values)])
    output = tmp_path / f"out.{fmt}"
    journal = journal_path(output)
    (tmp_path / "pids").mkdir()
    script = write(
        tmp_path / "runner.py",
        textwrap.dedent(RUNNER).format(
            root=str(ROOT),
            delay=0.001,
            pid_dir=str(tmp_path / "pids"),
            source=str(source),
            output=str(output),
            jobs=jobs,
        ),
    )
    process = subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE, **popen)
    deadline = time.monotonic() + 60
    while not (journal.exists() and journal.read_bytes().count(b"\n") > 200):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the runner never got going: {process.communicate()[1].decode()[-2000:]}")
        time.sleep(0.01)
    return process, output


def check_resumed(tmp_path: Path, output: Path, fmt: str, jobs: int, n: int = 3_000) -> None:
    """The journal left by a stopped run holds some results; resuming writes all n, in order."""
    journal = journal_path(output)
    assert not output.exists()
    written = journal.read_bytes().count(b"\n") - 1
    assert 200 <= written < n
    records = read_records([str(tmp_path / "in.csv")], text_column="text", id_column="id")
    summary = run_batch(FakeModel(), records, output=output, resume=True, jobs=jobs)
    assert summary.n_records == n and summary.n_errors == 0
    assert written - 16 <= summary.n_skipped_resumed <= written  # at most the torn line is dropped
    rows = read_output(output, fmt)
    assert [row["id"] for row in rows] == [f"id{i}" for i in range(n)]
    assert [row["label"] for row in rows] == [expected_label(t) for t in texts(n)]
    assert not journal.exists()


@pytest.mark.e2e
@pytest.mark.parametrize(("fmt", "jobs"), [("csv", 1), ("parquet", 2)])
def test_resume_after_the_process_is_killed(tmp_path: Path, fmt: str, jobs: int) -> None:
    process, output = start_runner(tmp_path, fmt, jobs)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    workers = {int(p.name) for p in (tmp_path / "pids").iterdir()}
    assert (process.pid in workers) == (jobs == 1)
    assert wait_until_gone(workers), "workers outlived their killed parent"
    check_resumed(tmp_path, output, fmt, jobs)


@pytest.mark.e2e
def test_ctrl_c_stops_the_workers_quietly_and_keeps_the_journal(tmp_path: Path) -> None:
    process, output = start_runner(tmp_path, "jsonl", 2, start_new_session=True)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the parent and its workers
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1  # an uncaught BatchInterrupted (the CLI turns it into one line and 130)
    last = stderr.rstrip().splitlines()[-1]  # a KeyboardInterrupt that says how many reviews are done
    assert stderr.count(b"Traceback") == 1 and last.startswith(b"thumbs.batch.engine.BatchInterrupted: "), (
        stderr.decode()
    )
    assert last.endswith(b" reviews done"), stderr.decode()
    assert wait_until_gone({int(p.name) for p in (tmp_path / "pids").iterdir()})
    check_resumed(tmp_path, output, "jsonl", 2)


# --- kept columns and folding without a file ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_kept_columns_follow_each_result(tmp_path: Path, fmt: str) -> None:
    """``keep`` names the records' extra columns: each result carries them, after its own fields."""
    rows = [[f"id{i}", text, f"Film {i % 2}", f"2024-0{i % 3 + 1}-01"] for i, text in enumerate(texts(7))]
    table = write_csv(tmp_path / "in.csv", rows, header=["id", "text", "film", "date"])
    records = read_records([str(table)], text_column="text", id_column="id", extra_columns=("film", "date"))
    output = tmp_path / f"out.{fmt}"
    run_batch(FakeModel(), records, output=output, keep=("film", "date"))
    got = read_output(output, fmt)
    assert [(row["id"], row["film"], row["date"]) for row in got] == [(r[0], r[2], r[3]) for r in rows]
    if fmt != "jsonl":
        assert list(got[0])[-2:] == ["film", "date"]


def test_a_kept_column_may_not_hide_a_field_of_the_results(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "in.csv", [["1", "good", "x"]], header=["id", "text", "label"])
    records = read_records([str(table)], text_column="text", extra_columns=("label",))
    message = one_line_error(ThumbsError, lambda: run_batch(FakeModel(), records, output=None, keep=("label",)))
    assert "--keep label" in message and "rename" in message
    again = read_records([str(table)], text_column="text", extra_columns=("label", "label"))
    with pytest.raises(ThumbsError, match="twice"):
        run_batch(FakeModel(), again, output=tmp_path / "o.csv", keep=("x", "x"))


@pytest.mark.parametrize("jobs", [1, 2])
def test_fold_batch_hands_over_every_result_in_order_and_writes_nothing(tmp_path: Path, jobs: int) -> None:
    rows = [[f"id{i}", text, f"Film {i % 4}"] for i, text in enumerate(texts(300))]
    table = write_csv(tmp_path / "in.csv", rows, header=["id", "text", "film"])
    records = read_records([str(table)], text_column="text", id_column="id", extra_columns=("film",))
    seen: list[dict[str, Any]] = []
    summary = fold_batch(FakeModel(), records, seen.extend, jobs=jobs, chunk_size=32, keep=("film",))
    assert summary.n_records == 300 and summary.output == "-"
    assert [(r["id"], r["label"], r["film"]) for r in seen] == [
        (f"id{i}", expected_label(text), f"Film {i % 4}") for i, text in enumerate(texts(300))
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
