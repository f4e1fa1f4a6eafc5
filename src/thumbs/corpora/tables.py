"""Reading tables of reviews (CSV/TSV, JSON Lines, Parquet) a row at a time, for every command.

``thumbs train``, ``evaluate --data`` and ``data check`` (:func:`thumbs.corpora.labelled.read_table`)
and ``thumbs analyze`` and ``summarize`` (:mod:`thumbs.batch.sources`) share this reader. :func:`open_table` (format by extension:
:data:`FORMATS`) or :func:`open_stream` (stdin) checks what it can up front (the file exists and is
not blank; the named columns are in the header, the Parquet schema or the first JSON lines) and
raises a one-line error saying how to fix it; :meth:`Table.rows` then reads :class:`Row` objects
lazily, numbered from 1 (a CSV header and blank lines are not records), a record that cannot be
read being a row with a ``problem``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from thumbs.errors import DataFormatError, DataNotFoundError

#: Table formats, by file extension.
FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
#: Non-blank lines read from the top of a CSV/TSV/JSONL table to check the named columns.
HEADER_PEEK_LINES = 20
#: Rows per batch when reading Parquet.
PARQUET_BATCH_ROWS = 50_000
#: Reviews can be long; the csv module's default cap is 128 KiB a field.
CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
_DELIMITERS = {"csv": ",", "tsv": "\t"}


class Row(NamedTuple):  # a tuple, not a dataclass: a million of them are made in seconds
    """One record of a table: its 1-based number, and its values or (``problem``) why it has none.

    ``broken`` says, in one line, where the file's bytes or syntax are broken in this record (not
    UTF-8, bad quoting, not a JSON object): :func:`read_table` refuses such a file, the batch reader
    goes on. A CSV record with undecodable bytes keeps its values, those bytes as surrogate escapes.

    >>> Row(2, None, "has 1 fields but the header has 2 (line 3)").problem
    'has 1 fields but the header has 2 (line 3)'
    """

    number: int
    values: dict[str, Any] | None
    problem: str | None = None
    broken: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table whose named columns exist: ``rows()`` reads its records in order, lazily (a file anew
    each call, a stream only once); ``count`` is how many there are where that is cheap (Parquet)."""

    where: str
    format: str
    columns: tuple[str, ...]
    count: int | None
    rows: Callable[[], Iterator[Row]] = field(repr=False)


def open_table(path: str | Path, wanted: Mapping[str, str]) -> Table:
    """Check the table at ``path`` (format by extension) and return it, ready to be read.

    ``wanted`` maps each column the caller needs to what to tell the user when it is missing.

    >>> table = open_table("reviews.csv", {"review": "pass one to --text-column"})  # doctest: +SKIP
    >>> [row.values["review"] for row in table.rows() if row.values]  # doctest: +SKIP
    ['A fine film.', 'Dull.']
    """
    where, path = str(path), Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        kinds = ", ".join(FORMATS)
        raise DataFormatError(f"unsupported file type '{path.suffix or '(none)'}' for {where}: use one of {kinds}")
    if not path.exists():
        raise DataNotFoundError(f"file not found: {where}: check the path")
    if not path.is_file():
        raise DataNotFoundError(f"{where} is not a file: pass the path of a {fmt} file")
    try:
        if path.stat().st_size == 0:
            raise DataFormatError(f"{where} is empty: it needs a header row and at least one review")
        if fmt == "parquet":
            return _open_parquet(where, path, wanted)
        with path.open("rb") as file:
            head = _peek(file)
    except OSError as exc:
        raise DataNotFoundError(f"cannot read {where} ({exc.strerror or exc}): check its permissions") from None
    columns = _head_columns(where, fmt, head, wanted)

    def read() -> Iterator[Row]:
        with path.open("rb") as file:
            yield from _line_rows(where, fmt, file)

    return Table(where, fmt, columns, None, read)


def open_stream(where: str, fmt: str, lines: Iterator[bytes], wanted: Mapping[str, str]) -> Table:
    """Check a table arriving as ``lines`` (stdin; ``fmt`` csv, tsv or jsonl) and return it, to read once.

    >>> open_stream("stdin", "csv", iter([b"id,text\\n", b"a,Fine.\\n"]), {"text": "fix"}).columns
    ('id', 'text')
    """
    head = _peek(lines)
    columns = _head_columns(where, fmt, head, wanted)
    return Table(where, fmt, columns, None, lambda: _line_rows(where, fmt, chain(head, lines)))


def describe_value(value: Any) -> str:
    """'a number', 'an object'...: what a JSON or Parquet value is, for messages."""
    kinds = {bool: "a true/false value", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return kinds.get(type(value), "binary data" if isinstance(value, bytes) else f"a {type(value).__name__}")


# --- checking the top of a table ----------------------------------------------------------------


def _peek(lines: Iterable[bytes]) -> list[bytes]:
    """Lines from the top up to and including the HEADER_PEEK_LINES-th non-blank one (fewer at the end)."""
    head: list[bytes] = []
    seen = 0
    for line in lines:
        head.append(line)
        seen += bool(line.strip())
        if seen == HEADER_PEEK_LINES:
            break
    return head


def _head_columns(where: str, fmt: str, head: list[bytes], wanted: Mapping[str, str]) -> tuple[str, ...]:
    """The columns the top of a CSV/TSV/JSONL table shows; raise if a wanted one is not there."""
    if not any(line.strip() for line in head):
        raise DataFormatError(f"{where} holds only whitespace: it needs at least one review")
    if fmt == "jsonl":
        names: dict[str, None] = {}
        for row in _jsonl_rows(head):
            names.update(dict.fromkeys(row.values or ()))
        if names:  # nothing readable at the top: each record will say what is wrong with it
            _require(where, tuple(names), wanted)
        return tuple(names)
    columns = tuple(_header(where, _csv_records(head, _DELIMITERS[fmt])))
    _require(where, columns, wanted)
    return columns


def _require(where: str, columns: tuple[str, ...], wanted: Mapping[str, str]) -> None:
    for name, fix in wanted.items():
        if name not in columns:
            have = ", ".join(repr(c) for c in columns) or "none"
            raise DataFormatError(f"column {name!r} not found in {where}; its columns are: {have}: {fix}")


def _open_parquet(where: str, path: Path, wanted: Mapping[str, str]) -> Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as parquet:
            columns, count = tuple(parquet.schema_arrow.names), parquet.metadata.num_rows
    except (pa.ArrowException, OSError) as exc:
        raise _not_parquet(where, exc) from None
    _require(where, columns, wanted)
    return Table(where, "parquet", columns, count, lambda: parquet_rows(where, path, list(wanted)))


def _not_parquet(where: str, exc: Exception) -> DataFormatError:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return DataFormatError(f"{where} is not a readable Parquet file ({reason}): re-export it, or save it as CSV")


# --- reading records ----------------------------------------------------------------------------


def _line_rows(where: str, fmt: str, lines: Iterable[bytes]) -> Iterator[Row]:
    return _jsonl_rows(lines) if fmt == "jsonl" else _csv_rows(where, lines, _DELIMITERS[fmt])


def part_rows(
    where: str, fmt: str, lines: Iterable[bytes], *, header: list[str] | None, first_line: int, first_number: int
) -> Iterator[Row]:
    """The rows of part of a CSV/TSV/JSON Lines table, numbered as the whole table numbers them.

    ``lines`` start after ``first_line`` lines of the file (and ``first_number`` records); ``header``
    is the CSV/TSV header's cells (:func:`csv_header`), None when ``lines`` start with it. :mod:`thumbs.corpora.table_parts` cuts tables.
    """
    if fmt == "jsonl":
        return _jsonl_rows(lines, first_line, first_number)
    return _csv_rows(where, lines, _DELIMITERS[fmt], header, first_line, first_number)


def csv_records(
    fmt: str, lines: Iterable[bytes], first_line: int = 0
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(file line, cells or None, where it is broken) for each non-blank record of a CSV/TSV file, header included."""
    return _csv_records(lines, _DELIMITERS[fmt], first_line)


def csv_header(where: str, records: Iterator[tuple[int, list[str] | None, str | None]]) -> list[str]:
    """The column names: the first record of :func:`csv_records` that is not all blank (consumed)."""
    return _header(where, records)


def _not_utf8(line: int, byte: int) -> str:
    fix = "re-save it as UTF-8, e.g. `iconv -f latin1 -t utf-8 in > out`"
    return f"line {line} is not UTF-8 (byte {byte:#04x}, perhaps Latin-1 or Windows-1252): {fix}"


def _decoded(lines: Iterable[bytes], bad: list[str], first_line: int = 0) -> Iterator[str]:
    """Each line as text, undecodable bytes kept as surrogate escapes and noted in ``bad``; lines end
    at \\n, \\r\\n or a lone \\r (old Mac exports), endings kept, as the csv module expects."""
    number = first_line
    for chunk in lines:
        crs = chunk.count(b"\r")
        for line in (chunk,) if crs == 0 or (crs == 1 and chunk.endswith(b"\r\n")) else chunk.splitlines(True):
            number += 1
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                text = line.decode("utf-8", "surrogateescape")
                bad.append(_not_utf8(number, line[exc.start]))
            yield text.removeprefix("\ufeff") if number == 1 else text


def _csv_records(
    lines: Iterable[bytes], delimiter: str, first_line: int = 0
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(file line, cells or None, where it is broken) for each non-blank CSV record, header included."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    bad: list[str] = []
    reader = csv.reader(_decoded(lines, bad, first_line), delimiter=delimiter)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            bad.clear()
            line = first_line + reader.line_num
            yield line, None, f"line {line} is not valid CSV ({exc}): check its quoting"
            continue
        broken = None
        if bad:
            broken = bad[0]
            bad.clear()
        if cells and not (len(cells) == 1 and not cells[0].strip()):
            yield first_line + reader.line_num, cells, broken


def _header(where: str, records: Iterator[tuple[int, list[str] | None, str | None]]) -> list[str]:
    """The column names: the first record that is not all blank (consumed from ``records``)."""
    for _, cells, broken in records:
        if cells is None:
            raise DataFormatError(f"{where} has no readable header row: {broken}")
        if broken is not None:
            raise DataFormatError(f"{where} {broken}")  # the header names the columns: it must be readable
        if any(cell.strip() for cell in cells):
            return [cell.strip() for cell in cells]
    raise DataFormatError(f"{where} has no header row: its first line must name the columns")


def _csv_rows(
    where: str,
    lines: Iterable[bytes],
    delimiter: str,
    header: list[str] | None = None,
    first_line: int = 0,
    first_number: int = 0,
) -> Iterator[Row]:
    records = _csv_records(lines, delimiter, first_line)
    if header is None:
        header = _header(where, records)  # checked when the table was opened: this does not raise
    number = first_number
    for line, cells, broken in records:
        number += 1
        if cells is None:
            yield Row(number, None, broken, broken)
        elif len(cells) != len(header):
            yield Row(number, None, f"has {len(cells)} fields but the header has {len(header)} (line {line})", broken)
        else:
            yield Row(number, dict(zip(header, cells, strict=True)), None, broken)


def _jsonl_rows(lines: Iterable[bytes], first_line: int = 0, first_number: int = 0) -> Iterator[Row]:
    number = first_number
    for line_no, line in enumerate(lines, start=first_line + 1):
        if not line.strip():
            continue
        number += 1
        try:
            value = json.loads(line.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            problem = _not_utf8(line_no, line[exc.start])
        except (ValueError, RecursionError) as exc:
            reason = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
            problem = f"line {line_no} is not valid JSON ({reason}): fix or remove that line"
        else:
            if isinstance(value, dict):
                yield Row(number, value)
                continue
            problem = f"line {line_no} holds {describe_value(value)}, not a JSON object: write one object a line"
        yield Row(number, None, problem, problem)


def parquet_rows(where: str, path: Path, columns: list[str], start: int = 0, stop: int | None = None) -> Iterator[Row]:
    """The rows ``start`` to ``stop`` (0-based, ``stop`` excluded; None: to the end) of a Parquet file's
    ``columns``, numbered from ``start + 1``; only the row groups holding them are read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as parquet:
            groups, position = _row_groups(parquet.metadata, start, stop)
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns, row_groups=groups):
                low = max(start - position, 0)  # rows before ``start`` are skipped unconverted
                high = batch.num_rows if stop is None else min(stop - position, batch.num_rows)
                if low < high:
                    values = _to_microseconds(batch.slice(low, high - low)).to_pylist()
                    yield from (Row(number, row) for number, row in enumerate(values, start=position + low + 1))
                position += batch.num_rows
                if stop is not None and position >= stop:
                    break
    except (pa.ArrowException, OSError) as exc:
        raise _not_parquet(where, exc) from None


def _row_groups(metadata: Any, start: int, stop: int | None) -> tuple[list[int], int]:
    """The row groups holding rows ``start`` to ``stop``, and how many rows come before the first of them."""
    groups: list[int] = []
    first = offset = 0
    for group in range(metadata.num_row_groups):
        rows = metadata.row_group(group).num_rows
        if offset + rows > start and (stop is None or offset < stop):
            if not groups:
                first = offset
            groups.append(group)
        offset += rows
    return groups, first


def _to_microseconds(batch: Any) -> Any:
    """``batch`` with nanosecond times cut to microseconds, all a Python datetime holds (``to_pylist`` refuses finer)."""
    import pyarrow as pa

    def cut(column: Any) -> Any:
        kind = column.type
        nanoseconds = pa.types.is_timestamp(kind) and kind.unit == "ns"
        return column.cast(pa.timestamp("us", kind.tz), safe=False) if nanoseconds else column

    return pa.RecordBatch.from_arrays([cut(column) for column in batch.columns], names=batch.schema.names)
