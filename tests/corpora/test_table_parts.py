"""Cutting a table into parts (thumbs.corpora.table_parts): the parts, read one by one, are the table.

For every format and every part size, concatenating ``read_part`` over ``table_parts(table, k)``
gives exactly ``list(table.rows())``: the same numbers, values, problems and messages (line
numbers included), whatever a part boundary falls next to (quoted newlines, blank lines, broken
quoting, short rows, a byte-order mark, CRLF endings, bad JSON lines).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thumbs.corpora.table_parts import TablePart, read_part, table_parts
from thumbs.corpora.tables import Row, Table, open_table

SIZES = (1, 2, 3, 5, 7, 1000)
WANTED = {"text": "pass one to --text-column"}


def parts_rows(table: Table, k: int) -> list[Row]:
    """Every part's rows, in order, each part checked to hold the rows it says."""
    rows: list[Row] = []
    for part in table_parts(table, k):
        got = list(read_part(table, part, list(WANTED)))  # Parquet: the columns rows() reads
        assert len(got) == part.rows
        rows.extend(got)
    return rows


def write(tmp_path: Path, name: str, content: bytes) -> Table:
    path = tmp_path / name
    path.write_bytes(content)
    return open_table(path, WANTED)


CSV_CASES = {
    "plain": b"id,text\n1,a wonderful film\n2,dull and far too long\n3,the acting is superb\n",
    "quoted newlines": (
        b'id,text\n1,"a wonderful,\nmoving film"\n2,"dull\n\nand far\ntoo long"\n3,"the acting is ""superb"""\n'
        b'4,"one\r\nmore"\n5,plain\n'
    ),
    "blank lines": b"\n\nid,text\n\n1,a wonderful film\n\n\n2,dull\n   \n3,superb acting\n\n",
    "wrong field counts": b"id,text\n1,fine\n2\n3,too,many,fields\n4,good\n5,,\n6,last one\n",
    "broken quoting": b'id,text\n1,fine\n2,"unclosed quote\n3,more text\n4,good\n',
    "stray quote": b'id,text\n1,fine\n2,a "quoted" word\n3,x"y\n4,good\n',
    "bom": b"\xef\xbb\xbfid,text\n1,a wonderful film\n2,dull\n3,superb\n",
    "crlf": b'id,text\r\n1,a wonderful film\r\n2,"dull\r\nand long"\r\n\r\n3,superb\r\n',
    "not utf8": b"id,text\n1,fine\n2,caf\xe9 au lait\n3,good\n",
    "no final newline": b"id,text\n1,fine\n2,good",
    "header only": b"id,text\n",
}


@pytest.mark.parametrize("k", SIZES)
@pytest.mark.parametrize("case", list(CSV_CASES))
def test_csv_parts_are_the_table(tmp_path: Path, case: str, k: int) -> None:
    table = write(tmp_path, "t.csv", CSV_CASES[case])
    whole = list(table.rows())
    assert parts_rows(table, k) == whole


def test_csv_parts_keep_line_numbers_in_messages(tmp_path: Path) -> None:
    body = b"id,text\n" + b"".join(b'%d,"review %d\nsecond line"\n' % (i, i) for i in range(1, 8)) + b"8\n9,fine\n"
    table = write(tmp_path, "t.csv", body)
    rows = parts_rows(table, 3)
    assert rows == list(table.rows())
    assert rows[7].problem == "has 1 fields but the header has 2 (line 16)"
    assert [r.number for r in rows] == list(range(1, 10))


@pytest.mark.parametrize("k", SIZES)
def test_tsv_parts_are_the_table(tmp_path: Path, k: int) -> None:
    content = b'id\ttext\n1\ta wonderful film\n\n2\t"dull\tand\nlong"\n3\tshort\textra\n4\tthe acting is superb\n'
    table = write(tmp_path, "t.tsv", content)
    assert parts_rows(table, k) == list(table.rows())


JSONL = (
    b'{"id": "1", "text": "a wonderful film"}\n'
    b"\n"
    b'{"id": "2", "text": "dull and far too long"}\n'
    b'{"id": "3", "text": \n'
    b"   \n"
    b'["not", "an object"]\n'
    b'{"id": "5", "text": "caf\xe9"}\n'
    b'{"id": "6", "text": "the acting is superb"}\r\n'
    b"42\n"
    b'{"id": "8", "text": "last"}'
)


@pytest.mark.parametrize("k", SIZES)
def test_jsonl_parts_are_the_table(tmp_path: Path, k: int) -> None:
    table = write(tmp_path, "t.jsonl", JSONL)
    whole = list(table.rows())
    assert sum(r.problem is not None for r in whole) == 4  # the file really is broken in places
    assert parts_rows(table, k) == whole


def test_a_lone_carriage_return_file_is_one_part(tmp_path: Path) -> None:
    table = write(tmp_path, "mac.csv", b"id,text\r1,good\r2,bad\r3,fine\r4,superb\r")
    parts = table_parts(table, 1)
    assert parts == [TablePart(0, 0, 4)]
    assert parts_rows(table, 1) == list(table.rows())
    assert [r.values["text"] for r in table.rows() if r.values] == ["good", "bad", "fine", "superb"]


def parquet_table(tmp_path: Path, groups: list[int]) -> Table:
    n = sum(groups)
    data = pa.table({"id": [f"r{i}" for i in range(n)], "text": [f"review number {i}" for i in range(n)]})
    path = tmp_path / "t.parquet"
    with pq.ParquetWriter(path, data.schema) as writer:
        start = 0
        for size in groups:
            writer.write_table(data.slice(start, size))
            start += size
    assert pq.ParquetFile(path).metadata.num_row_groups == len(groups)
    return open_table(path, WANTED)


@pytest.mark.parametrize("k", SIZES)
@pytest.mark.parametrize("groups", [[10], [3, 3, 3], [1, 4, 2, 8, 5], [7, 1, 1, 1]])
def test_parquet_parts_are_the_table(tmp_path: Path, groups: list[int], k: int) -> None:
    table = parquet_table(tmp_path, groups)
    assert parts_rows(table, k) == list(table.rows())


@pytest.mark.parametrize("k", [1, 2, 3, 4, 6, 7, 9, 100])
def test_parquet_parts_are_whole_row_groups(tmp_path: Path, k: int) -> None:
    groups = [3, 3, 3]
    table = parquet_table(tmp_path, groups)
    parts = table_parts(table, k)
    assert sum(p.rows for p in parts) == 9
    assert all(p.rows <= k for p in parts)
    bounds = {0, 3, 6, 9}
    starts = [p.start for p in parts]
    if k >= 3:  # groups fit: no part straddles a group boundary, and no two parts would fit in one
        assert set(starts) <= bounds
        assert all(a.rows + b.rows > k for a, b in zip(parts, parts[1:], strict=False))
        assert len(parts) == -(-3 // (k // 3))
    else:  # each group cut into even runs
        assert bounds - {9} <= set(starts)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """CSV files made of good, quoted, multi-line, blank, short and broken records."""
    pieces = [
        b"1,a wonderful film\n",
        b'2,"dull, and\nfar too long"\n',
        b"\n",
        b"  \n",
        b"3\n",
        b"4,x,y\n",
        b'5,"the ""acting"" is superb"\n',
        b'6,"open quote\n',
        b'7,"a\r\nb"\r\n',
        b"8,caf\xe9\n",
        b'9,no "quote" here\n',
    ]
    body = draw(st.lists(st.sampled_from(pieces), max_size=25))
    head = draw(st.sampled_from([b"id,text\n", b"\xef\xbb\xbfid,text\n", b"\nid,text\r\n"]))
    return head + b"".join(body)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=csv_files(), k=st.integers(1, 6))
def test_any_csv_cut_anywhere_reads_the_same(tmp_path: Path, content: bytes, k: int) -> None:
    table = write(tmp_path, "h.csv", content)
    assert parts_rows(table, k) == list(table.rows())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.one_of(
            st.builds(lambda i: json.dumps({"id": str(i), "text": f"review {i}"}).encode(), st.integers(0, 99)),
            st.sampled_from([b"", b"  ", b"{bad", b"[1]", b'"text"', b"\xff\xfe"]),
        ),
        min_size=1,
        max_size=20,
    ),
    k=st.integers(1, 6),
)
def test_any_jsonl_cut_anywhere_reads_the_same(tmp_path: Path, lines: list[bytes], k: int) -> None:
    content = json.dumps({"id": "0", "text": "first"}).encode() + b"\n" + b"\n".join(lines) + b"\n"
    table = write(tmp_path, "h.jsonl", content)
    assert parts_rows(table, k) == list(table.rows())
