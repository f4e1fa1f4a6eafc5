"""Reading a user's own reviews from a table: CSV/TSV, JSON Lines or Parquet.

The user names the columns; nothing is guessed. Rows that cannot become a
:class:`~thumbs.corpora.Document` (empty text, empty label when a label column is named, a rating
that is not a number, a repeated id) are skipped AND reported in :attr:`TableData.skipped`, so a
caller can say "3 rows skipped" instead of silently training on less data than the user thinks.
Whole-file problems (missing, empty, not UTF-8, a column that does not exist, malformed JSON)
raise a one-line :class:`DataNotFoundError`/:class:`DataFormatError` saying how to fix them.

Row numbers count data records from 1 (a CSV header is not a record; blank JSONL lines are not
records). Labels are kept as strings ("positive", "1".."4"...); an integral number such as
``1`` or ``1.0`` becomes ``"1"``. Ratings are parsed as float.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thumbs.corpora import Document
from thumbs.errors import DataFormatError, DataNotFoundError

FORMATS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A record that was not turned into a document, and why (one line)."""

    row: int
    reason: str


@dataclass(slots=True)
class TableData:
    """The documents read from a table, plus every record that was skipped."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)


def read_table(
    path: str | Path,
    *,
    text_column: str,
    label_column: str | None = None,
    rating_column: str | None = None,
    id_column: str | None = None,
) -> TableData:
    """Read ``path`` (format by extension) into documents, reporting skipped rows.

    ``text_column`` is required; the others are optional. Without ``id_column`` a document's id is
    its row number.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        kinds = ", ".join(FORMATS)
        raise DataFormatError(
            f"unsupported file type '{path.suffix or '(none)'}' for {path}: use one of {kinds}"
        )
    if not path.exists():
        raise DataNotFoundError(f"file not found: {path}: check the path")
    if not path.is_file():
        raise DataNotFoundError(f"{path} is not a file: pass the path of a {fmt} file")
    if path.stat().st_size == 0:
        raise DataFormatError(f"{path} is empty: it needs a header row and at least one review")

    wanted = [c for c in (text_column, label_column, rating_column, id_column) if c is not None]
    if fmt == "parquet":
        columns, records = _read_parquet(path, wanted)
    else:
        text = _read_utf8(path)
        if not text.strip():
            raise DataFormatError(f"{path} holds only whitespace: it needs at least one review")
        if fmt == "jsonl":
            columns, records = _read_jsonl(path, text)
        else:
            columns, records = _read_csv(path, text, "\t" if fmt == "tsv" else ",")
    missing = [c for c in wanted if c not in columns]
    if missing:
        have = ", ".join(repr(c) for c in columns) or "none"
        raise DataFormatError(
            f"column {missing[0]!r} not found in {path}; its columns are: {have}: name one of those"
        )
    if not records:
        raise DataFormatError(f"{path} has no data rows: add at least one review")
    return _to_documents(records, text_column, label_column, rating_column, id_column)


# --- readers: each returns (column names, [(row number, record or skip reason)]) -------------

_Record = tuple[int, "Mapping[str, Any] | str"]


def _read_utf8(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataFormatError(
            f"{path} is not UTF-8 (byte {data[exc.start]:#04x} on line {line}, perhaps Latin-1 or "
            f"Windows-1252): re-save it as UTF-8, e.g. `iconv -f latin1 -t utf-8 in > out`"
        ) from None


def _read_csv(path: Path, text: str, delimiter: str) -> tuple[list[str], list[_Record]]:
    # Reviews can be long; the csv module's default cap is 128 KiB a field.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        while header is not None and not any(h.strip() for h in header):
            header = next(reader, None)
        if header is None:
            raise DataFormatError(f"{path} has no header row: add one naming the columns")
        columns = [h.strip() for h in header]
        records: list[_Record] = []
        row = 0
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # a blank line is not a record
            row += 1
            if len(fields) != len(columns):
                records.append(
                    (row, f"has {len(fields)} fields but the header has {len(columns)} "
                          f"(file line {reader.line_num})")
                )
                continue
            records.append((row, dict(zip(columns, fields, strict=True))))
    except csv.Error as exc:
        raise DataFormatError(
            f"{path} is not valid {'TSV' if delimiter == chr(9) else 'CSV'} near line "
            f"{reader.line_num} ({exc}): check its quoting"
        ) from None
    return columns, records


def _read_jsonl(path: Path, text: str) -> tuple[list[str], list[_Record]]:
    columns: dict[str, None] = {}
    records: list[_Record] = []
    row = 0
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFormatError(
                f"{path} line {line_no} is not valid JSON ({exc.msg} at column {exc.colno}): "
                f"fix or remove that line"
            ) from None
        if not isinstance(obj, dict):
            raise DataFormatError(
                f"{path} line {line_no} is a JSON {type(obj).__name__}, not an object: "
                f"write one {{\"column\": value, ...}} object a line"
            )
        row += 1
        columns.update(dict.fromkeys(obj))
        records.append((row, obj))
    return list(columns), records


def _read_parquet(path: Path, wanted: list[str]) -> tuple[list[str], list[_Record]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        columns = list(schema.names)
        present = [c for c in dict.fromkeys(wanted) if c in columns]
        table = pq.read_table(path, columns=present)
    except (pa.ArrowException, OSError) as exc:
        raise DataFormatError(
            f"{path} is not a readable Parquet file ({str(exc).splitlines()[0]}): "
            f"re-export it, or save it as CSV"
        ) from None
    data = {c: table.column(c).to_pylist() for c in present}
    records: list[_Record] = [
        (i + 1, {c: values[i] for c, values in data.items()}) for i in range(table.num_rows)
    ]
    return columns, records


# --- records -> documents ---------------------------------------------------------------------


def _as_text(value: Any) -> str:
    """A cell as a string: None -> "", integral floats without ".0", everything else str()."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else str(value)


def _parse_rating(value: Any) -> tuple[float | None, str | None]:
    """(rating, None), or (None, reason) when the cell is not a finite number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, f"rating {value!r} is not a number"
    try:
        rating = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        return None, f"rating {_as_text(value)!r} is not a number"
    if math.isnan(rating) and not isinstance(value, str):
        return None, None  # a missing value in a numeric Parquet/JSON column
    if not math.isfinite(rating):
        return None, f"rating {_as_text(value)!r} is not a finite number"
    return rating, None


def _to_documents(
    records: list[_Record],
    text_column: str,
    label_column: str | None,
    rating_column: str | None,
    id_column: str | None,
) -> TableData:
    out = TableData()
    seen: dict[str, int] = {}
    for row, record in records:
        if isinstance(record, str):
            out.skipped.append(SkippedRow(row, record))
            continue
        reason, doc = _one_document(row, record, text_column, label_column, rating_column, id_column)
        if doc is not None and doc.id in seen:
            reason, doc = f"repeats id {doc.id!r} of row {seen[doc.id]}", None
        if doc is None:
            out.skipped.append(SkippedRow(row, reason or "unreadable"))
            continue
        seen[doc.id] = row
        out.documents.append(doc)
    return out


def _one_document(
    row: int,
    record: Mapping[str, Any],
    text_column: str,
    label_column: str | None,
    rating_column: str | None,
    id_column: str | None,
) -> tuple[str | None, Document | None]:
    """(None, document) or (reason, None) for one record."""
    text = _as_text(record.get(text_column))
    if not text.strip():
        return f"empty text in column {text_column!r}", None
    label: str | None = None
    if label_column is not None:
        label = _as_text(record.get(label_column)).strip()
        if not label:
            return f"empty label in column {label_column!r}", None
    rating: float | None = None
    if rating_column is not None:
        rating, problem = _parse_rating(record.get(rating_column))
        if problem:
            return problem, None
    doc_id = str(row)
    if id_column is not None:
        doc_id = _as_text(record.get(id_column)).strip()
        if not doc_id:
            return f"empty id in column {id_column!r}", None
    return None, Document(id=doc_id, text=text, label=label, rating=rating)


def iter_problems(data: TableData, limit: int = 5) -> Iterator[str]:
    """Up to ``limit`` one-line descriptions of skipped rows, then a count of the rest."""
    for skipped in data.skipped[:limit]:
        yield f"row {skipped.row}: {skipped.reason}"
    if len(data.skipped) > limit:
        yield f"... and {len(data.skipped) - limit} more skipped rows"
