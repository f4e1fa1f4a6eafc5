"""The batch engine behind ``thumbs analyze`` on many reviews: read, analyze in order, write.

It neither tokenizes, scores nor formats an analysis: a model object does that (see
:class:`SupportsAnalyze`). This module streams reviews in, hands chunks of them to the model
(in worker processes with ``jobs > 1``, see :mod:`thumbs.parallel`) and writes one result per
review, in input order, with flat memory however many reviews there are.

* **Input** (:func:`read_records`): text files (one review each), folders of ``*.txt`` files,
  glob patterns, tables (``.csv``, ``.tsv``, ``.jsonl``/``.ndjson``, ``.parquet``) and ``-``
  for stdin. A record that cannot be analyzed (not UTF-8, empty, not text, over ``max_chars``,
  a malformed line, or the model raising) becomes an *error result* and the batch goes on;
  whole-input mistakes raise a one-line :class:`~thumbs.errors.ThumbsError` before any work.
* **Error results**: a CSV/Parquet row has every column None except ``id`` and ``error``; a
  JSON line is ``{"id": ..., "label": null, "probability": null, "stars": null, "error": ...}``
  (unless the model has ``error_result(id, error)``, see :class:`SupportsAnalyze`).
* **Output** (:func:`run_batch`): JSON Lines, CSV or Parquet, or JSON Lines/CSV to stdout.
  Results go first to a journal, ``OUTPUT.partial`` (a header line, then one JSON line per
  finished review, flushed after each chunk). When every review is done the output is written
  to a hidden temporary file beside it and renamed onto ``OUTPUT``, then the journal is
  deleted, so an interrupted run never leaves a half-written ``OUTPUT``.
* **Resume**: with ``resume=True`` an existing journal is checked against the format, the
  model's columns and the input ids, a torn last line is dropped, and the run carries on
  after the reviews it holds. Without ``resume`` an old journal is silently overwritten.
  ``resume=True`` when ``OUTPUT`` exists and no journal does is an error ("already complete").

>>> summary = run_batch(model, read_records(["reviews/"]), output="out.csv")  # doctest: +SKIP
>>> summary.line()  # doctest: +SKIP
'analyzed 1,000 reviews: 997 ok, 3 failed -> out.csv'
"""

from __future__ import annotations

import csv
import glob
import json
import os
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import Any, Protocol

from thumbs.errors import DataFormatError, DataNotFoundError, ThumbsError
from thumbs.parallel import check_jobs, chunked, ordered_map

#: Reviews handed to a worker at a time.
DEFAULT_CHUNK_SIZE = 64
#: A review longer than this many characters becomes an error result.
DEFAULT_MAX_CHARS = 1_000_000
#: Input tables, by file extension; any other file is one plain-text review.
TABLE_FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
#: Output formats, and the one an output file's extension implies (anything else: jsonl).
OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
SUFFIX_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
#: Keys of the JSON line written for a review that could not be analyzed.
ERROR_JSON_KEYS = ("id", "label", "probability", "stars", "error")
#: Parquet column types fixed by name; other columns get a type from their values.
STRING_COLUMNS = frozenset({"id", "label", "error"})
FLOAT_COLUMNS = frozenset({"probability", "stars"})
#: The journal sits beside the output: ``out.csv`` -> ``out.csv.partial``.
JOURNAL_SUFFIX = ".partial"
JOURNAL_VERSION = 1
#: Rows per Parquet row group, and per batch when reading Parquet.
PARQUET_ROWS = 50_000
#: Lines read from the top of a table to check that the named columns exist.
HEADER_PEEK_LINES = 20
#: UTF-8 takes at most this many bytes a character: a longer file is over max_chars unread.
MAX_UTF8_BYTES = 4


class ResultLike(Protocol):
    """One review's analysis, as the model returns it."""

    def to_dict(self) -> dict[str, Any]: ...  # nested, one JSON line; has "id" and "error"

    def to_row(self) -> dict[str, Any]: ...  # flat, keys == model.row_columns, scalar values


class SupportsAnalyze(Protocol):
    """What the engine needs from a model: analyze one text, and name the flat columns.

    A model may also have ``error_result(id, error) -> ResultLike``, the result for a review
    it could not analyze; the engine then writes that instead of the default error shape.
    """

    row_columns: tuple[str, ...]  # includes "id" and "error"

    def analyze(self, text: str, id: str | None = None) -> ResultLike: ...


@dataclass(frozen=True, slots=True)
class Record:
    """One review to analyze: its 0-based input position, id, and text or why there is none."""

    index: int
    id: str | None
    text: str | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch did: records written (resumed ones included), how many failed, and where."""

    n_records: int
    n_errors: int
    n_skipped_resumed: int
    output: str  # "-" for stdout

    def line(self) -> str:
        """One line for the user, e.g. ``analyzed 1,000 reviews: 997 ok, 3 failed -> out.jsonl``."""
        noun = "review" if self.n_records == 1 else "reviews"
        resumed = f" ({self.n_skipped_resumed:,} from an earlier run)" if self.n_skipped_resumed else ""
        ok = self.n_records - self.n_errors
        where = "stdout" if self.output == "-" else self.output
        return f"analyzed {self.n_records:,} {noun}{resumed}: {ok:,} ok, {self.n_errors:,} failed -> {where}"


class RecordStream(Iterator[Record]):
    """Records read lazily; ``total`` is how many there will be when that is cheap to know."""

    def __init__(self, records: Iterator[Record], total: int | None) -> None:
        self._records = records
        self.total = total

    def __next__(self) -> Record:
        return next(self._records)


# --- reading ---------------------------------------------------------------------------------

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
            batches = parquet.iter_batches(batch_size=PARQUET_ROWS, columns=wanted)
            yield from enumerate((row for batch in batches for row in batch.to_pylist()), start=1)

    return _Part(lambda: _table_items(rows(), columns, max_chars), count)


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


# --- analyzing, here or in worker processes -------------------------------------------------

_worker_model: SupportsAnalyze | None = None  # in a worker process: the model, set once


def _install_model(model: SupportsAnalyze) -> None:
    global _worker_model
    _worker_model = model


def _with_worker_model(function: Callable[[SupportsAnalyze, list[Any]], list[Any]], chunk: list[Any]) -> list[Any]:
    assert _worker_model is not None, "worker started without a model"
    return function(_worker_model, chunk)


def _on_model(
    model: SupportsAnalyze,
    function: Callable[[SupportsAnalyze, list[Any]], list[Any]],
    chunks: Iterable[list[Any]],
    jobs: int,
) -> Generator[list[Any], None, None]:
    """``function(model, chunk)`` for each chunk, in order: here, or on ``jobs`` worker processes."""
    if jobs == 1:
        return ordered_map(partial(function, model), chunks)
    return ordered_map(
        partial(_with_worker_model, function),
        chunks,
        jobs=jobs,
        initializer=_install_model,
        initargs=(model,),
        preload=(__name__, type(model).__module__),
    )


def _analyze_records(as_rows: bool, model: SupportsAnalyze, records: list[Record]) -> list[dict[str, Any]]:
    """Each record's ``to_row()`` (or ``to_dict()``), or its error result."""
    results: list[dict[str, Any]] = []
    for record in records:
        error = record.error
        if error is None:
            try:
                result = model.analyze(record.text, id=record.id)  # type: ignore[arg-type]
                results.append(result.to_row() if as_rows else result.to_dict())
                continue
            except Exception as exc:  # noqa: BLE001 - one bad review must not stop the batch
                message = str(exc).strip().splitlines()
                error = f"analysis failed: {type(exc).__name__}" + (f": {message[0]}" if message else "")
        results.append(_error_result(model, as_rows, record.id, error))
    return results


def _error_result(model: SupportsAnalyze, as_rows: bool, id_: str | None, error: str) -> dict[str, Any]:
    """The model's own ``error_result(id, error)`` when it has one, else the default shape."""
    make = getattr(model, "error_result", None)
    if make is not None:
        result = make(id_, error)
        return result.to_row() if as_rows else result.to_dict()
    keys = model.row_columns if as_rows else ERROR_JSON_KEYS
    return {**dict.fromkeys(keys), "id": id_, "error": error}


def _analyze_pairs(model: SupportsAnalyze, pairs: list[tuple[Any, str]]) -> list[ResultLike]:
    return [model.analyze(text, id=id_) for id_, text in pairs]


def analyze_stream(
    model: SupportsAnalyze,
    texts_or_records: Iterable[str | tuple[Any, str]],
    *,
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[ResultLike]:
    """The model's result for each text or ``(id, text)`` pair, in input order, read lazily.

    This is ``model.analyze_many(items, jobs=N)``. An exception from ``model.analyze`` ends
    the stream (it is raised here); with ``jobs > 1`` the model and its results are pickled.

    >>> [r.label for r in analyze_stream(model, ["Superb.", ("r2", "Dull.")])]  # doctest: +SKIP
    ['positive', 'negative']
    """
    _check_chunk_size(chunk_size)
    pairs = (_as_pair(position, item) for position, item in enumerate(texts_or_records))
    return _flatten(_on_model(model, _analyze_pairs, chunked(pairs, chunk_size), jobs))


def _as_pair(position: int, item: Any) -> tuple[Any, str]:
    if isinstance(item, str):
        return None, item
    if isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[1], str):
        return item[0], item[1]
    raise ThumbsError(f"item {position} is a {type(item).__name__}: pass review texts (str) or (id, text) pairs")


def _flatten(chunks: Generator[list[Any], None, None]) -> Iterator[Any]:
    try:
        for chunk in chunks:
            yield from chunk
    finally:
        chunks.close()  # stops worker processes when the caller stops early


def _check_chunk_size(chunk_size: int) -> None:
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ThumbsError(f"chunk size must be a whole number, 1 or more, not {chunk_size!r}")


# --- writing --------------------------------------------------------------------------------


def output_format(format: str | None, output: str | Path | None) -> str:  # noqa: A002 - the option's name
    """``format`` checked, or when None the one ``output``'s extension implies (default jsonl)."""
    if format is None:
        return SUFFIX_FORMATS.get(Path(output).suffix.lower(), "jsonl") if output is not None else "jsonl"
    if format.lower() not in OUTPUT_FORMATS:
        raise ThumbsError(f"unknown output format {format!r}: use one of {', '.join(OUTPUT_FORMATS)}")
    return format.lower()


def journal_path(output: str | Path) -> Path:
    """Where a run writing ``output`` keeps its finished results: ``out.csv`` -> ``out.csv.partial``."""
    output = Path(output)
    return output.with_name(output.name + JOURNAL_SUFFIX)


def run_batch(
    model: SupportsAnalyze,
    records: Iterable[Record],
    *,
    output: str | Path | None,
    format: str | None = None,  # noqa: A002 - the option's name
    jobs: int = 1,
    resume: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool | None = None,
    total: int | None = None,
) -> BatchSummary:
    """Analyze ``records`` and write one result per record, in order, to ``output``.

    ``format`` is jsonl, csv or parquet (None: from ``output``'s extension, else jsonl).
    ``output=None`` streams JSON Lines (or CSV) to stdout. ``progress=None`` shows a progress
    bar when stderr is a terminal; ``total`` defaults to ``records.total`` when it has one.
    """
    fmt = output_format(format, output)
    _check_chunk_size(chunk_size)
    check_jobs(jobs)
    as_rows = fmt != "jsonl"
    columns = tuple(model.row_columns)
    total = total if total is not None else getattr(records, "total", None)
    records = iter(records)
    if output is None:
        if resume:
            raise ThumbsError("--resume needs --output FILE: results written to stdout cannot be resumed")
        if fmt == "parquet":
            raise ThumbsError("parquet cannot be written to stdout: pass --output FILE.parquet")
        done, errors = _drive(_stdout_writer(fmt, columns), model, records, as_rows, jobs, chunk_size, progress, total)
        return BatchSummary(done, errors, 0, "-")

    output = Path(output)
    journal = journal_path(output)
    if output.is_dir():
        raise ThumbsError(f"--output {output} is a folder: name a file in it, e.g. {output / ('results.' + fmt)}")
    if not output.parent.is_dir():
        raise DataNotFoundError(f"folder {output.parent} for --output does not exist: create it first")
    header = {"thumbs_journal": JOURNAL_VERSION, "format": fmt, "columns": list(columns)}
    point = _resume_point(journal, header, records) if resume and journal.exists() else None
    if resume and point is None and output.exists() and not journal.exists():
        raise ThumbsError(f"{output} is already complete (there is no {journal.name} to resume): run without --resume")
    resumed, old_errors = point or (0, 0)
    with open(journal, "a" if point else "w", encoding="utf-8", newline="\n") as out:
        if point is None:
            out.write(_json_line(header))

        def write(results: list[dict[str, Any]]) -> None:
            out.write("".join(map(_json_line, results)))
            out.flush()  # a killed run keeps every finished chunk

        done, errors = _drive(write, model, records, as_rows, jobs, chunk_size, progress, total, resumed)
    _publish(journal, output, fmt, columns)
    return BatchSummary(done, old_errors + errors, resumed, str(output))


def _drive(
    write: Callable[[list[dict[str, Any]]], None],
    model: SupportsAnalyze,
    records: Iterator[Record],
    as_rows: bool,
    jobs: int,
    chunk_size: int,
    progress: bool | None,
    total: int | None,
    done: int = 0,
) -> tuple[int, int]:
    """Analyze ``records`` chunk by chunk and ``write`` each chunk's results; (records done, errors)."""
    errors = 0
    results_stream = _on_model(model, partial(_analyze_records, as_rows), chunked(records, chunk_size), jobs)
    with closing(results_stream), _progress_bar(progress, total, done) as advance:
        for results in results_stream:
            write(results)
            done += len(results)
            errors += sum(result.get("error") is not None for result in results)
            advance(len(results))
    return done, errors


def _json_line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # a NumPy scalar
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _csv_cells(row: dict[str, Any], columns: Sequence[str]) -> list[Any]:
    return ["" if row.get(column) is None else row.get(column) for column in columns]


def _stdout_writer(fmt: str, columns: Sequence[str]) -> Callable[[list[dict[str, Any]]], None]:
    stream = sys.stdout
    if fmt == "csv":
        writer = csv.writer(stream)
        writer.writerow(columns)

        def write(results: list[dict[str, Any]]) -> None:
            writer.writerows(_csv_cells(row, columns) for row in results)
            stream.flush()

        return write

    def write_json(results: list[dict[str, Any]]) -> None:
        stream.write("".join(map(_json_line, results)))
        stream.flush()

    return write_json


def _resume_point(journal: Path, header: dict[str, Any], records: Iterator[Record]) -> tuple[int, int] | None:
    """(results kept, errors among them) after checking ``journal`` and skipping as many records.

    A torn last line is cut off. None when not even the header line was written.
    """
    done = errors = 0
    with open(journal, "r+b") as file:
        first = file.readline()
        if not first.endswith(b"\n"):
            return None
        if _loads(first) != header:
            raise ThumbsError(f"{journal} is from a run with another format or model: run without --resume to start over")
        end = len(first)
        for line in file:
            result = _loads(line) if line.endswith(b"\n") else None
            if not isinstance(result, dict):
                break  # a torn last line
            record = next(records, None)
            if record is None or result.get("id") != record.id:
                found = "nothing" if record is None else repr(record.id)
                raise ThumbsError(
                    f"{journal} does not match these inputs (result {done + 1} is {result.get('id')!r}, input {done + 1} "
                    f"is {found}): pass the same inputs, or run without --resume to start over"
                )
            done, errors, end = done + 1, errors + (result.get("error") is not None), end + len(line)
        file.truncate(end)
    return done, errors


def _loads(line: bytes) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None


def _journal_results(journal: Path) -> Iterator[dict[str, Any]]:
    with open(journal, encoding="utf-8") as file:
        next(file)  # the header
        for line in file:
            yield json.loads(line)


def _publish(journal: Path, output: Path, fmt: str, columns: Sequence[str]) -> None:
    """Write the final file from the journal beside ``output``, rename it onto ``output``, drop the journal."""
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        if fmt == "parquet":
            _write_parquet(journal, temporary, columns)
        else:
            with open(journal, encoding="utf-8") as source, open(temporary, "w", encoding="utf-8", newline="") as out:
                next(source)  # the header
                if fmt == "jsonl":
                    out.writelines(source)
                else:
                    writer = csv.writer(out)
                    writer.writerow(columns)
                    writer.writerows(_csv_cells(json.loads(line), columns) for line in source)
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
    journal.unlink()


def _write_parquet(journal: Path, path: Path, columns: Sequence[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Columns not typed by name get a type from their values: one pass over the journal first.
    kinds: dict[str, set[type]] = {c: set() for c in columns if c not in STRING_COLUMNS | FLOAT_COLUMNS}
    if kinds:
        for row in _journal_results(journal):
            for column, seen in kinds.items():
                if row.get(column) is not None:
                    seen.add(type(row[column]))
    schema = pa.schema([pa.field(c, _arrow_type(c, kinds.get(c, set()))) for c in columns])
    with pq.ParquetWriter(path, schema) as writer:
        for rows in chunked(_journal_results(journal), PARQUET_ROWS):
            arrays = [_arrow_values([row.get(f.name) for row in rows], f.type) for f in schema]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))


def _arrow_type(column: str, kinds: set[type]) -> Any:
    import pyarrow as pa

    if column in FLOAT_COLUMNS or (kinds and kinds <= {int, float} and float in kinds):
        return pa.float64()
    if kinds == {bool}:
        return pa.bool_()
    if kinds == {int}:
        return pa.int64()
    return pa.string()


def _arrow_values(values: list[Any], arrow_type: Any) -> Any:
    import pyarrow as pa

    if pa.types.is_string(arrow_type):
        values = [v if v is None or isinstance(v, str) else str(v) for v in values]
    elif pa.types.is_floating(arrow_type):
        values = [None if v is None else float(v) for v in values]
    return pa.array(values, type=arrow_type)


@contextmanager
def _progress_bar(enabled: bool | None, total: int | None, done: int) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr (count, reviews/s, ETA); ``enabled=None``: if stderr is a terminal."""
    if enabled is None:
        enabled = bool(getattr(sys.stderr, "isatty", lambda: False)())
    if not enabled:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f} reviews/s" if speed else "- reviews/s", style="progress.data.speed")

    columns = (TextColumn("analyzing"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task("analyzing", total=total, completed=done)
        yield lambda n: bar.advance(task, n)
