"""Pieces for a cluster (thumbs.batch.sources.split_sources / read_piece): the same records as one machine.

Reading every piece of ``split_sources`` with ``read_piece`` gives, in order, the records
``read_records`` gives for the same sources: ids, texts, errors and kept values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from thumbs.batch.pieces import Piece, read_piece, split_sources
from thumbs.batch.sources import Record, read_records
from thumbs.errors import ThumbsError

PHRASES = [
    "a wonderful, moving film",
    "dull and far too long",
    "the acting is superb",
    "the plot makes no sense at all",
    "I laughed and cried; a lovely story",
    "boring, with a weak script",
]


def review(i: int) -> str:
    return f"{PHRASES[i % len(PHRASES)]}. {PHRASES[(i * 7 + 3) % len(PHRASES)]}."


def key(record: Record) -> tuple[Any, ...]:
    """What a record says (its ``index`` counts from its own table's top in a piece, not from the input's)."""
    return (record.id, record.text, record.error, record.extra)


def pieces_records(sources: list[str], rows: int, **columns: Any) -> tuple[list[Piece], list[Record]]:
    pieces = split_sources(sources, rows_per_piece=rows, **columns)
    records = [record for piece in pieces for record in read_piece(piece, **columns)]
    for piece in pieces:
        assert len(list(read_piece(piece, **columns))) == piece.rows
    return pieces, records


def same_as_one_machine(sources: list[str], rows: int, **columns: Any) -> list[Piece]:
    pieces, records = pieces_records(sources, rows, **columns)
    expected = list(read_records(sources, **columns))
    assert expected, "the input holds records"
    assert [key(r) for r in records] == [key(r) for r in expected]
    return pieces


@pytest.mark.parametrize("rows", [1, 4, 7, 1000])
def test_csv_with_ids_and_kept_columns(tmp_path: Path, rows: int) -> None:
    lines = ["rid,film,year,text"]
    for i in range(20):
        text = f'"{review(i)}"' if i % 5 else f'"{review(i)}\nsecond line"'
        lines.append(f"r{i},film {i % 3},{2000 + i},{text}")
    lines[6] = "r5,short row"
    lines[9] = "r8,film 2,2008,"  # an empty review
    lines[12] = ",film 2,2011,no id given here"  # the id falls back to the row number
    path = tmp_path / "reviews.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    columns = {"text_column": "text", "id_column": "rid", "extra_columns": ("film", "year")}
    pieces = same_as_one_machine([str(path)], rows, **columns)
    assert len(pieces) == -(-20 // rows)
    _, records = pieces_records([str(path)], rows, **columns)
    assert [r.index for r in records] == list(range(20))  # one table: the input positions too
    records = list(read_records([str(path)], **columns))
    assert sum(r.error is not None for r in records) == 2
    assert records[11].id == "12" and records[3].extra == ("film 0", "2003")


@pytest.mark.parametrize("rows", [1, 3, 50])
def test_jsonl(tmp_path: Path, rows: int) -> None:
    lines = [json.dumps({"id": f"j{i}", "text": review(i), "film": f"f{i % 2}"}) for i in range(12)]
    lines[4] = '{"id": "j4", "text": '
    lines[7] = json.dumps({"id": "j7", "text": 17, "film": "f1"})
    lines.insert(2, "")
    path = tmp_path / "reviews.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    same_as_one_machine([str(path)], rows, text_column="text", id_column="id", extra_columns=("film",))


def parquet_dataset(folder: Path) -> Path:
    folder.mkdir()
    n = 0
    for part, size in enumerate([5, 8, 3]):
        ids = [f"p{n + i}" for i in range(size)]
        texts: list[str | None] = [review(n + i) for i in range(size)]
        if part == 1:
            texts[2] = None
        data = pa.table({"id": ids, "text": texts, "stars": [float(i % 5) for i in range(size)]})
        pq.write_table(data, folder / f"part-{part}.parquet", row_group_size=3)
        n += size
    (folder / "_SUCCESS").write_text("")
    (folder / ".hidden.parquet").write_bytes(b"not parquet")
    return folder


@pytest.mark.parametrize("rows", [1, 2, 4, 100])
def test_a_parquet_dataset_folder(tmp_path: Path, rows: int) -> None:
    folder = parquet_dataset(tmp_path / "dataset")
    same_as_one_machine([str(folder)], rows, text_column="text", id_column="id", extra_columns=("stars",))


def test_a_parquet_dataset_folder_on_one_machine(tmp_path: Path) -> None:
    folder = parquet_dataset(tmp_path / "dataset")
    records = list(read_records([str(folder)], text_column="text", id_column="id", extra_columns=("stars",)))
    assert [r.id for r in records] == [f"p{i}" for i in range(16)]
    assert [r.index for r in records] == list(range(16))
    assert records[7].text is None and records[7].error is not None
    assert records[1].extra == (1.0,)


@pytest.mark.parametrize("rows", [1, 2, 10])
def test_a_folder_of_review_files(tmp_path: Path, rows: int) -> None:
    folder = tmp_path / "reviews"
    (folder / "sub").mkdir(parents=True)
    for i in range(5):
        (folder / f"{i}.txt").write_text(review(i), encoding="utf-8")
    (folder / "sub" / "a.txt").write_text(review(9), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "latin.txt").write_bytes(b"caf\xe9")
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    pieces = same_as_one_machine([str(folder)], rows)
    assert sum(piece.rows for piece in pieces) == 8
    assert all(piece.part is None for piece in pieces)


def test_a_glob_of_tables_and_files(tmp_path: Path) -> None:
    for i in range(3):
        lines = ["id,text", *(f"g{i}-{j},{review(i + j)}" for j in range(4))]
        (tmp_path / f"t{i}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    same_as_one_machine([str(tmp_path / "t*.csv")], 3, text_column="text", id_column="id")


def test_review_files_and_a_table_mixed(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"r{i}.txt").write_text(review(i), encoding="utf-8")
    table = tmp_path / "t.csv"
    table.write_text("id,text\na,fine\nb,dull\n", encoding="utf-8")
    sources = [str(tmp_path / "r0.txt"), str(tmp_path / "r1.txt"), str(table), str(tmp_path / "r2.txt")]
    same_as_one_machine(sources, 2, text_column="text", id_column="id")


def test_stdin_is_refused_in_one_line() -> None:
    with pytest.raises(ThumbsError) as caught:
        split_sources(["-"], text_column="text", rows_per_piece=10)
    message = str(caught.value)
    assert "\n" not in message and "stdin" in message


def test_a_folder_mixing_csv_and_parquet_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.csv").write_text("id,text\n1,fine\n", encoding="utf-8")
    pq.write_table(pa.table({"id": ["2"], "text": ["dull"]}), folder / "b.parquet")
    for read in (
        lambda: split_sources([str(folder)], text_column="text", rows_per_piece=10),
        lambda: list(read_records([str(folder)], text_column="text")),
    ):
        with pytest.raises(ThumbsError) as caught:
            read()
        message = str(caught.value)
        assert "\n" not in message and "mixes" in message and "csv" in message and "parquet" in message


def test_a_review_file_gone_where_the_piece_is_read_stops_it(tmp_path: Path) -> None:
    """A file listed where the run started but absent where it is read (a worker without the shared
    folder) raises, rather than being written as a failed row that a resumed run would skip."""
    from thumbs.errors import DataNotFoundError

    folder = tmp_path / "reviews"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("A fine film.", encoding="utf-8")
    (piece,) = split_sources([str(folder)], rows_per_piece=10)
    (folder / "b.txt").unlink()
    with pytest.raises(DataNotFoundError, match="b.txt"):
        list(read_piece(piece))
