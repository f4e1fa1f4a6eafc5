"""Cutting a table into parts that can each be read on its own (by a worker of a cluster).

:func:`table_parts` reads a table once, as :mod:`thumbs.corpora.tables` reads it, and notes where
every ``rows_per_part``-th record ends: for CSV/TSV and JSON Lines the byte offset, the lines and
the records before it (a CSV record may span lines inside quotes, so only the reader can tell where
one ends); for Parquet, from the file's metadata alone, runs of whole row groups. :func:`read_part`
then reads one part, from its offset, and numbers its rows and lines as reading the whole table
does, so that a part's rows, ids and messages ("line 50,213 is not valid CSV") are the same as on
one machine.

>>> table = open_table("reviews.csv", {"text": "pass one to --text-column"})  # doctest: +SKIP
>>> parts = table_parts(table, 10_000)  # doctest: +SKIP
>>> [row.number for row in read_part(table, parts[1], ["text"])][:2]  # doctest: +SKIP
[10001, 10002]
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO

from thumbs.corpora.tables import Row, Table, csv_header, csv_records, parquet_rows, part_rows
from thumbs.errors import DataNotFoundError


@dataclass(frozen=True, slots=True)
class TablePart:
    """A run of ``rows`` records of a table: where it starts, and what comes before it.

    ``start`` is the byte offset of its first line (for Parquet, the index of its first row);
    ``before`` and ``lines`` are how many records and lines of the file precede it; ``header``
    is how many bytes the CSV/TSV header takes at the top of the file (0 for the other formats,
    and for a first part, which is read from the top).
    """

    start: int
    before: int
    rows: int
    lines: int = 0
    header: int = 0


def table_parts(table: Table, rows_per_part: int) -> list[TablePart]:
    """``table`` (opened by :func:`~thumbs.corpora.tables.open_table`) cut into parts of ``rows_per_part`` records.

    A CSV/TSV/JSON Lines table is read once; a Parquet file's metadata is enough (its parts are
    runs of whole row groups, a row group larger than ``rows_per_part`` cut into even runs). A file
    whose lines end in a lone carriage return (old Mac exports) is one part.
    """
    if rows_per_part < 1:
        raise ValueError(f"rows_per_part must be at least 1, not {rows_per_part}")
    path = Path(table.where)
    try:
        if table.format == "parquet":
            return _parquet_parts(path, rows_per_part)
        with path.open("rb") as file:
            return _line_parts(table, _Counted(file), rows_per_part)
    except OSError as exc:
        raise DataNotFoundError(f"cannot read {table.where} ({exc.strerror or exc}): check its permissions") from None


def read_part(table: Table, part: TablePart, columns: Sequence[str]) -> Iterator[Row]:
    """The rows of ``part`` of ``table``, numbered as :meth:`Table.rows` numbers them (``columns``: Parquet's to read)."""
    path = Path(table.where)
    if table.format == "parquet":
        yield from parquet_rows(table.where, path, list(columns), part.start, part.start + part.rows)
        return
    with path.open("rb") as file:
        header = None  # the first part reads its header itself
        if table.format != "jsonl" and part.before:
            header = csv_header(table.where, csv_records(table.format, io.BytesIO(file.read(part.header))))
        file.seek(part.start)
        rows = part_rows(
            table.where, table.format, file, header=header, first_line=part.lines, first_number=part.before
        )
        yield from islice(rows, part.rows)


class _Counted:
    """A binary file's lines, counting the bytes handed out, and noting a lone carriage return."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file, self.position, self.lone_return = file, 0, False

    def __iter__(self) -> Iterator[bytes]:
        for line in self.file:
            self.position += len(line)
            returns = line.count(b"\r")
            if returns > 1 or (returns == 1 and not line.endswith(b"\r\n")):
                self.lone_return = True
            yield line


def _line_parts(table: Table, lines: _Counted, rows_per_part: int) -> list[TablePart]:
    """Parts of a CSV/TSV/JSON Lines file, cut after every ``rows_per_part`` records."""
    parts: list[TablePart] = []
    header = 0
    if table.format == "jsonl":
        ends = ((line_no, bool(line.strip())) for line_no, line in enumerate(lines, start=1))
        records = (line_no for line_no, record in ends if record)
    else:
        found = csv_records(table.format, lines)
        csv_header(table.where, found)
        header = lines.position
        records = (line_no for line_no, _, _ in found)
    start, before, first_line, count = 0, 0, 0, 0  # the first part is read from the top, header and all
    for line_no in records:
        count += 1
        if count - before == rows_per_part:
            parts.append(TablePart(start, before, count - before, first_line, header if before else 0))
            start, before, first_line = lines.position, count, line_no
    if count > before or not parts:
        parts.append(TablePart(start, before, count - before, first_line, header if before else 0))
    if lines.lone_return and len(parts) > 1:  # a record's end may fall inside a read line: do not cut
        return [TablePart(0, 0, count)]
    return parts


def _parquet_parts(path: Path, rows_per_part: int) -> list[TablePart]:
    """Runs of whole row groups of up to ``rows_per_part`` rows (a larger group cut into even runs)."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as parquet:
        sizes = [parquet.metadata.row_group(g).num_rows for g in range(parquet.metadata.num_row_groups)]
    parts: list[TablePart] = []
    start = run = 0
    for size in sizes:
        if run and run + size > rows_per_part:
            parts.append(TablePart(start, start, run))
            start, run = start + run, 0
        if size > rows_per_part:
            pieces = -(-size // rows_per_part)
            cuts = [size * k // pieces for k in range(pieces + 1)]
            parts.extend(TablePart(start + a, start + a, b - a) for a, b in zip(cuts, cuts[1:]))
            start += size
        else:
            run += size
    if run:
        parts.append(TablePart(start, start, run))
    return parts
