"""Reading reviews for a batch: files, folders, globs, stdin and tables, streamed, bad records as errors.

:func:`read_records` turns what the user names on the command line into one lazy stream of
:class:`Record` objects, in input order, so that a million-row table never sits in memory:

* a text file is one review (its id is its path); a folder is every ``*.txt`` file under it,
  sorted by name, hidden ones skipped; a glob pattern is every file or folder it matches;
* a table (``.csv``, ``.tsv``, ``.jsonl``/``.ndjson``, ``.parquet``: the formats of
  :mod:`thumbs.corpora.tables`, whose reader this uses, as training does) is one review a row,
  from ``text_column``, its id from ``id_column`` (else the 1-based row number), read a line (or
  a Parquet batch) at a time;
* ``-`` is stdin: one review, or a CSV/JSON Lines table when ``text_column`` is given.

Whole-input mistakes (a missing file, an unknown column, a table without ``--text-column``)
raise a one-line :class:`~thumbs.errors.ThumbsError` before any record is read, because the
user must fix them. A single record that cannot be analyzed (a malformed line, or a review
that :func:`thumbs.text.review.review_problem` refuses: not text, over ``max_chars``, not
UTF-8, empty, no words) is not raised: it becomes a :class:`Record` with ``error`` set, worded
as the analysis words it, and the batch engine (:mod:`thumbs.batch.engine`) writes an error
result for it and goes on.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from thumbs.corpora.tables import FORMATS, Row, open_stream, open_table
from thumbs.errors import DataNotFoundError, ThumbsError
from thumbs.text.review import MAX_REVIEW_CHARS, not_utf8, review_problem, too_long

#: UTF-8 takes at most this many bytes a character: a longer file is over max_chars unread.
MAX_UTF8_BYTES = 4
#: The byte-order mark some editors put at the start of a UTF-8 file.
UTF8_BOM = b"\xef\xbb\xbf"

__all__ = [
    "Record",
    "RecordStream",
    "clean_id",
    "input_files",
    "read_records",
    "review_file",
    "table_records",
    "wanted_columns",
]


@dataclass(frozen=True, slots=True)
class Record:
    """One review to analyze: its 0-based input position, id, and text or why there is none.

    ``extra`` holds the values of the ``extra_columns`` asked of :func:`read_records` (a film,
    a date), in that order, None for a missing cell (review files have no columns: asking them for one is refused).
    """

    index: int
    id: str | None
    text: str | None
    error: str | None = None
    extra: tuple[Any, ...] = ()


class RecordStream(Iterator[Record]):
    """Records read lazily; ``total`` is how many there will be when that is cheap to know."""

    def __init__(self, records: Iterator[Record], total: int | None) -> None:
        self._records = records
        self.total = total

    def __next__(self) -> Record:
        return next(self._records)


# --- planning: what each source holds --------------------------------------------------------

_Raw = tuple[str, "str | None", "str | None", "tuple[Any, ...]"]  # (id, text, error, extra values)


@dataclass(frozen=True, slots=True)
class _Part:
    read: Callable[[], Iterator[_Raw]]
    count: int | None


@dataclass(frozen=True, slots=True)
class _Columns:
    text: str | None
    id: str | None
    extra: tuple[str, ...] = ()


def read_records(
    sources: Sequence[str],
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    max_chars: int = MAX_REVIEW_CHARS,
    extra_columns: Sequence[str] = (),
) -> RecordStream:
    """The records of ``sources`` (files, folders, globs, ``-``), in order, read lazily.

    Every source is checked first (exists, has the named columns, ``extra_columns`` included:
    a film, a date); records are then read one at a time. Table ids come from ``id_column``, else (or when the cell is empty) the 1-based
    row number; a text file's id is its path. Blank table lines are not records.

    >>> [r.id for r in read_records(["a.txt", "reviews/*.txt"])]  # doctest: +SKIP
    ['a.txt', 'reviews/1.txt', 'reviews/2.txt']
    """
    sources = [sources] if isinstance(sources, str | os.PathLike) else [str(s) for s in sources]
    if not sources:
        raise ThumbsError("no input: pass review files, folders, a glob such as 'reviews/*.txt', or - for stdin")
    if sources.count("-") > 1:
        raise ThumbsError("- (stdin) is given more than once: stdin can be read only once")
    columns = _Columns(text_column, id_column, tuple(extra_columns))
    parts = [part for source in sources for part in _plan(str(source), columns, max_chars)]
    counts = [part.count for part in parts]
    total = None if None in counts else sum(c for c in counts if c is not None)
    return RecordStream(_numbered(parts, len(columns.extra)), total)


def _numbered(parts: list[_Part], n_extra: int) -> Iterator[Record]:
    index = 0
    for part in parts:
        for id_, text, error, extra in part.read():  # a text file has no columns: None for each
            yield Record(index, id_, text, error, extra if len(extra) == n_extra else (None,) * n_extra)
            index += 1


def _plan(source: str, columns: _Columns, max_chars: int) -> list[_Part]:
    if source == "-":
        return [_stdin_part(columns, max_chars)]
    if os.path.isdir(source):
        tables = _folder_tables(source)
        if tables:  # a partitioned dataset: its tables in order
            return [_file_part(path, columns, max_chars) for path in tables]
        _no_columns(source, "a folder of review files", columns)
        count = sum(1 for _ in _walk_txt(source))
        return [_Part(lambda: (_read_text_file(path, max_chars) for path in _walk_txt(source)), count)]
    if os.path.exists(source):
        return [_file_part(source, columns, max_chars)]
    if glob.has_magic(source):
        parts: list[_Part] = []
        for match in sorted(glob.glob(source, recursive=True)):
            if os.path.isdir(match) and not _has_reviews(match):
                continue
            parts.extend(_plan(match, columns, max_chars))
        if not parts:
            raise DataNotFoundError(f"no files match {source!r}: check the pattern")
        return parts
    raise DataNotFoundError(f"file not found: {source}: check the path")


def _walk_txt(folder: str) -> Iterator[str]:
    """``*.txt`` files under ``folder``, sorted by name at each level, skipping hidden ones."""
    return _walk(folder, (".txt",), skip=(".",))


def _walk(folder: str, suffixes: tuple[str, ...], skip: tuple[str, ...] = (".", "_")) -> Iterator[str]:
    """Files under ``folder`` ending in one of ``suffixes``, sorted by name at each level, skipping
    those whose names start with one of ``skip`` (hidden ones; a dataset's ``_SUCCESS``, ``_metadata``)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(skip):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, suffixes, skip)
        elif entry.name.lower().endswith(suffixes) and entry.is_file():
            yield entry.path


def _has_reviews(folder: str) -> bool:
    """Whether a folder holds review files or tables."""
    return next(_walk_txt(folder), None) is not None or next(_walk(folder, tuple(FORMATS)), None) is not None


def _folder_tables(folder: str) -> list[str]:
    """A folder's tables when it holds no review files (``*.txt``): a partitioned Parquet/CSV dataset.

    Raise when it holds neither, or tables of more than one format.
    """
    if next(_walk_txt(folder), None) is not None:
        return []
    tables = list(_walk(folder, tuple(FORMATS)))
    if not tables:
        raise DataNotFoundError(
            f"no .txt files or tables in folder {folder}: put one review per .txt file there, "
            "or give a folder of Parquet/CSV files (a partitioned dataset)"
        )
    kinds = sorted({FORMATS[Path(path).suffix.lower()] for path in tables})
    if len(kinds) > 1:
        raise ThumbsError(f"folder {folder} mixes tables of {' and '.join(kinds)}: a dataset is of one format")
    return tables


def _file_part(path: str, columns: _Columns, max_chars: int) -> _Part:
    if FORMATS.get(Path(path).suffix.lower()) is None:
        _no_columns(path, "a review file", columns)
        return _Part(lambda: iter([_read_text_file(path, max_chars)]), 1)
    table = open_table(path, _wanted(path, columns))
    return _Part(lambda: _table_items(table.rows(), columns, max_chars), table.count)


def _stdin_part(columns: _Columns, max_chars: int) -> _Part:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise ThumbsError("stdin cannot be read here: pass files instead of -")
    if columns.text is None:  # all of stdin is one review
        _no_columns("- (stdin)", "one review", columns)
        return _Part(lambda: iter([_decode_review("-", stream.read(MAX_UTF8_BYTES * max_chars + 1), max_chars)]), 1)
    head: list[bytes] = []
    for line in stream:  # up to the first non-blank line, which says JSON Lines or CSV
        head.append(line)
        if line.strip():
            break
    first = head[-1].removeprefix(UTF8_BOM).lstrip() if head else b""
    fmt = "jsonl" if first.startswith(b"{") else "csv"
    table = open_stream("stdin", fmt, chain(head, stream), _wanted("stdin", columns))
    return _Part(lambda: _table_items(table.rows(), columns, max_chars), None)


def _no_columns(where: str, what: str, columns: _Columns) -> None:
    """Refuse, in one line, ``extra_columns`` asked of a source that has no columns (a review file)."""
    if columns.extra:
        raise ThumbsError(
            f"{where} is {what}, not a table, so it has no column {columns.extra[0]!r}: "
            "give a table (CSV, TSV, JSONL or Parquet) with that column"
        )


def _wanted(where: str, columns: _Columns) -> dict[str, str]:
    """The columns a table must have, each with how to fix it when it does not."""
    if columns.text is None:
        raise ThumbsError(f"{where} is a table: pass --text-column NAME to say which column holds the reviews")
    wanted = {columns.text: "pass one to --text-column"}
    if columns.id is not None:
        wanted.setdefault(columns.id, "pass one to --id-column")
    for column in columns.extra:
        wanted.setdefault(column, "check the column's name")
    return wanted


def _table_items(rows: Iterable[Row], columns: _Columns, max_chars: int) -> Iterator[_Raw]:
    text_column = columns.text
    assert text_column is not None  # checked by _wanted
    for row in rows:
        values = row.values
        if values is None:
            yield str(row.number), None, row.problem, (None,) * len(columns.extra)
            continue
        id_ = _id_from(values.get(columns.id), row.number) if columns.id is not None else str(row.number)
        extra = tuple(values.get(column) for column in columns.extra)
        if text_column not in values:
            yield id_, None, f"no {text_column!r} field in this record", extra
        else:
            yield (id_, *_as_review(values[text_column], max_chars), extra)


def _id_from(value: Any, number: int) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return str(number)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(value if isinstance(value, str) else str(value))


# --- what a cluster's pieces need (:mod:`thumbs.batch.pieces`) ----------------------------------


def input_files(sources: Sequence[str]) -> Iterator[str]:
    """Each file the sources (files, folders, globs; checked by :func:`read_records`) name, in the order it reads them."""
    for source in sources:
        if os.path.isdir(source):
            yield from _folder_tables(source) or _walk_txt(source)
        elif os.path.exists(source):
            yield source
        else:
            for match in sorted(glob.glob(source, recursive=True)):
                if not os.path.isdir(match) or _has_reviews(match):
                    yield from input_files([match])


def wanted_columns(
    where: str, text_column: str | None, id_column: str | None = None, extra_columns: Sequence[str] = ()
) -> dict[str, str]:
    """The columns a table must have (for :func:`~thumbs.corpora.tables.open_table`), each with how to fix it."""
    return _wanted(where, _Columns(text_column, id_column, tuple(extra_columns)))


def review_file(path: str, max_chars: int = MAX_REVIEW_CHARS) -> tuple[str | None, str | None]:
    """``(text, None)`` of a review file, or ``(None, why it cannot be read)``, as :func:`read_records` reads it."""
    _, text, error, _ = _read_text_file(path, max_chars)
    return text, error


def clean_id(text: str) -> str:
    """A path or cell as an id that can be written out (undecodable bytes replaced)."""
    return _clean(text)


def table_records(
    rows: Iterable[Row],
    *,
    text_column: str | None,
    id_column: str | None = None,
    extra_columns: Sequence[str] = (),
    max_chars: int = MAX_REVIEW_CHARS,
    first_index: int = 0,
) -> Iterator[Record]:
    """The records of a table's rows, as :func:`read_records` makes them (the id from ``id_column``,
    else the row's number; a review that cannot be read as an error), indexed from ``first_index``."""
    columns = _Columns(text_column, id_column, tuple(extra_columns))
    for index, (id_, text, error, extra) in enumerate(_table_items(rows, columns, max_chars), start=first_index):
        yield Record(index, id_, text, error, extra)


# --- one review's text -----------------------------------------------------------------------


def _read_text_file(path: str, max_chars: int) -> _Raw:
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_UTF8_BYTES * max_chars + 1)
    except OSError as exc:
        return _clean(path), None, f"cannot read the file ({exc.strerror or exc})", ()
    return _decode_review(_clean(path), data, max_chars)


def _decode_review(id_: str, data: bytes, max_chars: int) -> _Raw:
    if len(data) > MAX_UTF8_BYTES * max_chars:
        return id_, None, too_long(max_chars), ()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return id_, None, not_utf8(f"byte {data[exc.start]:#04x} at offset {exc.start}"), ()
    return (id_, *_as_review(text, max_chars), ())


def _as_review(value: Any, max_chars: int) -> tuple[str | None, str | None]:
    """(text, None) when ``value`` is a review we can analyze, else (None, why not), by the one rule.

    The rule and its wording are :func:`thumbs.text.review.review_problem`'s, the analysis' own.
    """
    problem = review_problem(value, max_chars)
    return (None, problem) if problem is not None else (value, None)


def _clean(text: str) -> str:
    """``text`` with undecodable bytes (surrogate escapes) replaced, so it can be written out."""
    return text if text.isascii() else text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
