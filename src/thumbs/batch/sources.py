"""Reading reviews for a batch: files, folders, globs, stdin and tables, streamed, bad records as errors.

:func:`read_records` turns what the user names on the command line into one lazy stream of
:class:`Record` objects, in input order, so that a million-row table never sits in memory:

* a text file is one review (its id is its path); a folder is every ``*.txt`` file under it,
  sorted by name, hidden ones skipped; a glob pattern is every file or folder it matches;
* a table (``.csv``, ``.tsv``, ``.jsonl``/``.ndjson``, ``.parquet``) is one review a row, from
  ``text_column``, its id from ``id_column`` (else the 1-based row number); tables are read a
  line (or a Parquet batch) at a time;
* ``-`` is stdin: one review, or a CSV/JSON Lines table when ``text_column`` is given.

Whole-input mistakes (a missing file, an unknown column, a table without ``--text-column``)
raise a one-line :class:`~thumbs.errors.ThumbsError` before any record is read, because the
user must fix them. A single record that cannot be analyzed (not UTF-8, empty, not text, over
``max_chars``, a malformed line) is not raised: it becomes a :class:`Record` with ``error``
set, and the batch engine (:mod:`thumbs.batch`) writes an error result for it and goes on.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

from thumbs.errors import DataFormatError, DataNotFoundError, ThumbsError

#: A review longer than this many characters becomes an error result.
DEFAULT_MAX_CHARS = 1_000_000
#: Input tables, by file extension; any other file is one plain-text review.
TABLE_FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
#: Rows per batch when reading Parquet.
PARQUET_BATCH_ROWS = 50_000
#: Lines read from the top of a table to check that the named columns exist.
HEADER_PEEK_LINES = 20
#: UTF-8 takes at most this many bytes a character: a longer file is over max_chars unread.
MAX_UTF8_BYTES = 4

__all__ = ["DEFAULT_MAX_CHARS", "TABLE_FORMATS", "Record", "RecordStream", "read_records"]


@dataclass(frozen=True, slots=True)
class Record:
    """One review to analyze: its 0-based input position, id, and text or why there is none."""

    index: int
    id: str | None
    text: str | None
    error: str | None = None


class RecordStream(Iterator[Record]):
    """Records read lazily; ``total`` is how many there will be when that is cheap to know."""

    def __init__(self, records: Iterator[Record], total: int | None) -> None:
        self._records = records
        self.total = total

    def __next__(self) -> Record:
        return next(self._records)


# --- planning: what each source holds --------------------------------------------------------

_Raw = tuple[str, "str | None", "str | None"]  # (id, text, error)


@dataclass(frozen=True, slots=True)
class _Part:
    read: Callable[[], Iterator[_Raw]]
    count: int | None


@dataclass(frozen=True, slots=True)
class _Columns:
    text: str | None
    id: str | None


def read_records(
    sources: Sequence[str],
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> RecordStream:
    """The records of ``sources`` (files, folders, globs, ``-``), in order, read lazily.

    Every source is checked first (exists, has the named columns); records are then read one
    at a time. Table ids come from ``id_column``, else (or when the cell is empty) the 1-based
    row number; a text file's id is its path. Blank table lines are not records.

    >>> [r.id for r in read_records(["a.txt", "reviews/*.txt"])]  # doctest: +SKIP
    ['a.txt', 'reviews/1.txt', 'reviews/2.txt']
    """
    sources = [sources] if isinstance(sources, str | os.PathLike) else [str(s) for s in sources]
    if not sources:
        raise ThumbsError("no input: pass review files, folders, a glob such as 'reviews/*.txt', or - for stdin")
    if sources.count("-") > 1:
        raise ThumbsError("- (stdin) is given more than once: stdin can be read only once")
    columns = _Columns(text_column, id_column)
    parts = [part for source in sources for part in _plan(str(source), columns, max_chars)]
    counts = [part.count for part in parts]
    total = None if None in counts else sum(c for c in counts if c is not None)
    return RecordStream(_numbered(parts), total)


def _numbered(parts: list[_Part]) -> Iterator[Record]:
    index = 0
    for part in parts:
        for id_, text, error in part.read():
            yield Record(index, id_, text, error)
            index += 1


def _plan(source: str, columns: _Columns, max_chars: int) -> list[_Part]:
    if source == "-":
        return [_stdin_part(columns, max_chars)]
    if os.path.isdir(source):
        if next(_walk_txt(source), None) is None:
            raise DataNotFoundError(f"no .txt files in folder {source}: put one review per .txt file there")
        count = sum(1 for _ in _walk_txt(source))
        return [_Part(lambda: (_read_text_file(path, max_chars) for path in _walk_txt(source)), count)]
    if os.path.exists(source):
        return [_file_part(source, columns, max_chars)]
    if glob.has_magic(source):
        parts: list[_Part] = []
        for match in sorted(glob.glob(source, recursive=True)):
            if os.path.isdir(match) and next(_walk_txt(match), None) is None:
                continue
            parts.extend(_plan(match, columns, max_chars))
        if not parts:
            raise DataNotFoundError(f"no files match {source!r}: check the pattern")
        return parts
    raise DataNotFoundError(f"file not found: {source}: check the path")


def _walk_txt(folder: str) -> Iterator[str]:
    """``*.txt`` files under ``folder``, sorted by name at each level, skipping hidden ones."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk_txt(entry.path)
        elif entry.name.lower().endswith(".txt") and entry.is_file():
            yield entry.path


def _file_part(path: str, columns: _Columns, max_chars: int) -> _Part:
    fmt = TABLE_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        return _Part(lambda: iter([_read_text_file(path, max_chars)]), 1)
    if columns.text is None:
        raise ThumbsError(f"{path} is a table: pass --text-column NAME to say which column holds the reviews")
    if fmt == "parquet":
        return _parquet_part(path, columns, max_chars)
    with open(path, "rb") as file:
        _check_columns(path, fmt, list(islice(file, HEADER_PEEK_LINES)), columns)

    def read() -> Iterator[_Raw]:
        with open(path, "rb") as file:
            yield from _table_items(_rows(fmt, file), columns, max_chars)

    return _Part(read, None)


def _stdin_part(columns: _Columns, max_chars: int) -> _Part:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise ThumbsError("stdin cannot be read here: pass files instead of -")
    if columns.text is None:  # all of stdin is one review
        return _Part(lambda: iter([_decode_review("-", stream.read(MAX_UTF8_BYTES * max_chars + 1), max_chars)]), 1)
    head = list(islice(stream, HEADER_PEEK_LINES))
    first = next((line.lstrip().removeprefix(b"\xef\xbb\xbf") for line in head if line.strip()), b"")
    fmt = "jsonl" if first.startswith(b"{") else "csv"
    _check_columns("stdin", fmt, head, columns)
    return _Part(lambda: _table_items(_rows(fmt, chain(head, stream)), columns, max_chars), None)


def _parquet_part(path: str, columns: _Columns, max_chars: int) -> _Part:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as parquet:
            names, count = parquet.schema_arrow.names, parquet.metadata.num_rows
    except (pa.ArrowException, OSError) as exc:
        raise DataFormatError(
            f"{path} is not a readable Parquet file ({str(exc).splitlines()[0]}): re-export it, or save it as CSV"
        ) from None
    _require_columns(path, names, columns)
    wanted = list(dict.fromkeys(c for c in (columns.text, columns.id) if c is not None))

    def rows() -> Iterator[tuple[int, dict[str, Any] | str]]:
        with pq.ParquetFile(path) as parquet:
            batches = parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted)
            yield from enumerate((row for batch in batches for row in batch.to_pylist()), start=1)

    return _Part(lambda: _table_items(rows(), columns, max_chars), count)


# --- tables ----------------------------------------------------------------------------------


def _check_columns(where: str, fmt: str, head: list[bytes], columns: _Columns) -> None:
    """Raise if the top of a CSV/TSV/JSONL table shows that a named column does not exist."""
    if fmt == "jsonl":
        names: dict[str, None] = {}
        for line in head:
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                names.update(dict.fromkeys(obj))
        if names:  # nothing readable at the top: each record will say what is wrong with it
            _require_columns(where, list(names), columns)
        return
    header = next((cells for _, cells in _csv_lines(head, "\t" if fmt == "tsv" else ",")), None)
    if not isinstance(header, list):
        raise DataFormatError(f"{where} has no readable header row: its first line must name the columns")
    _require_columns(where, [name.strip() for name in header], columns)


def _require_columns(where: str, names: Sequence[str], columns: _Columns) -> None:
    for name, option in ((columns.text, "--text-column"), (columns.id, "--id-column")):
        if name is not None and name not in names:
            have = ", ".join(repr(n) for n in names) or "none"
            raise DataFormatError(f"column {name!r} not found in {where}; its columns are {have}: pass one to {option}")


def _rows(fmt: str, lines: Iterable[bytes]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(1-based record number, record or why it is unreadable) for a CSV/TSV/JSONL table."""
    if fmt == "jsonl":
        yield from _jsonl_rows(lines)
        return
    header: list[str] | None = None
    number = 0
    for line_no, cells in _csv_lines(lines, "\t" if fmt == "tsv" else ","):
        if header is None:  # checked by _check_columns before reading began
            header = [name.strip() for name in cells] if isinstance(cells, list) else []
            continue
        number += 1
        if isinstance(cells, str):
            yield number, cells
        elif len(cells) != len(header):
            yield number, f"has {len(cells)} fields but the header has {len(header)} (line {line_no})"
        else:
            yield number, dict(zip(header, cells, strict=True))


def _csv_lines(lines: Iterable[bytes], delimiter: str) -> Iterator[tuple[int, Any]]:
    """(line number, cells or a one-line problem) for each non-blank CSV row; cells keep bad bytes."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # reviews can be longer than the 128 KiB default
    decoded = (line.decode("utf-8", "surrogateescape") for line in lines)
    reader = csv.reader((text.removeprefix("\ufeff") for text in decoded), delimiter=delimiter)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, f"not valid CSV near line {reader.line_num} ({exc}): check its quoting"
            continue
        if cells and not (len(cells) == 1 and not cells[0].strip()):
            yield reader.line_num, cells


def _jsonl_rows(lines: Iterable[bytes]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    number = 0
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        number += 1
        try:
            obj = json.loads(line.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            yield number, f"line {line_no} is not UTF-8 (byte {line[exc.start]:#04x}): re-save the file as UTF-8"
            continue
        except ValueError as exc:
            reason = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield number, f"line {line_no} is not valid JSON ({reason}): fix or remove that line"
            continue
        if isinstance(obj, dict):
            yield number, obj
        else:
            yield number, f"line {line_no} holds {_kind(obj)}, not a JSON object: write one object a line"


def _table_items(rows: Iterator[tuple[int, dict[str, Any] | str]], columns: _Columns, max_chars: int) -> Iterator[_Raw]:
    assert columns.text is not None
    for number, row in rows:
        if isinstance(row, str):
            yield str(number), None, row
            continue
        id_ = _id_from(row.get(columns.id), number) if columns.id is not None else str(number)
        if columns.text not in row:
            yield id_, None, f"no {columns.text!r} field in this record"
        else:
            yield (id_, *_as_review(row[columns.text], max_chars))


def _id_from(value: Any, number: int) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return str(number)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(value if isinstance(value, str) else str(value))


# --- one review's text -----------------------------------------------------------------------


def _read_text_file(path: str, max_chars: int) -> _Raw:
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_UTF8_BYTES * max_chars + 1)
    except OSError as exc:
        return _clean(path), None, f"cannot read the file ({exc.strerror or exc})"
    return _decode_review(_clean(path), data, max_chars)


def _decode_review(id_: str, data: bytes, max_chars: int) -> _Raw:
    if len(data) > MAX_UTF8_BYTES * max_chars:
        return id_, None, _too_long(max_chars)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return id_, None, f"not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}): re-save it as UTF-8"
    return (id_, *_as_review(text, max_chars))


def _as_review(value: Any, max_chars: int) -> tuple[str | None, str | None]:
    """(text, None) when ``value`` is a review we can analyze, else (None, why not)."""
    if value is None:
        return None, "no text (the cell is empty)"
    if not isinstance(value, str):
        return None, f"the text is {_kind(value)}, not a string"
    if len(value) > max_chars:
        return None, _too_long(max_chars)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        byte = f" (byte {code - 0xDC00:#04x})" if 0xDC80 <= code <= 0xDCFF else ""
        return None, f"not UTF-8 text{byte}: re-save the input as UTF-8"
    if not value.strip():
        return None, "empty text"
    return value, None


def _too_long(max_chars: int) -> str:
    return f"the text is longer than {max_chars:,} characters: split it into shorter reviews"


def _kind(value: Any) -> str:
    """'a number', 'an object'...: what a JSON or Parquet value is, for messages."""
    kinds = {bool: "a true/false value", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return kinds.get(type(value), "binary data" if isinstance(value, bytes) else f"a {type(value).__name__}")


def _clean(text: str) -> str:
    """``text`` with undecodable bytes (surrogate escapes) replaced, so it can be written out."""
    return text if text.isascii() else text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
