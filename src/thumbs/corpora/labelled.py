"""A user's table as labelled documents, for training and evaluation (``thumbs train``, ``evaluate --data``,
``data check``).

:func:`read_table` reads a table with :mod:`thumbs.corpora.tables`' reader and skips AND reports
the rows that cannot become a :class:`~thumbs.corpora.Document` (so a caller can say "3 rows
skipped"); it refuses a file whose bytes or syntax are broken. Labels stay strings; ``1.0``
becomes ``"1"``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thumbs.corpora import Document
from thumbs.corpora.tables import open_table
from thumbs.errors import DataFormatError
from thumbs.text.review import review_problem

#: The columns read_table is told to read: text, label, rating, id.
_Named = tuple[str, str | None, str | None, str | None]


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

    >>> data = read_table("mine.csv", text_column="review", label_column="verdict")  # doctest: +SKIP
    >>> len(data.documents), list(iter_problems(data))  # doctest: +SKIP
    (2, ["row 2: empty text in column 'review'"])
    """
    named: _Named = (text_column, label_column, rating_column, id_column)
    table = open_table(path, {column: "name one of those" for column in named if column is not None})
    out = TableData()
    seen: dict[str, int] = {}
    for row in table.rows():
        if row.broken is not None:
            raise DataFormatError(f"{table.where} {row.broken}")
        reason, doc = (row.problem, None) if row.values is None else _one_document(row.number, row.values, named)
        if doc is not None and doc.id in seen:
            reason, doc = f"repeats id {doc.id!r} of row {seen[doc.id]}", None
        if doc is None:
            out.skipped.append(SkippedRow(row.number, reason or "unreadable"))
        else:
            seen[doc.id] = row.number
            out.documents.append(doc)
    if not out.documents and not out.skipped:
        raise DataFormatError(f"{table.where} has no data rows: add at least one review")
    return out


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


def _one_document(row: int, record: Mapping[str, Any], named: _Named) -> tuple[str | None, Document | None]:
    """(None, document) or (reason, None) for one record."""
    text_column, label_column, rating_column, id_column = named
    text = _as_text(record.get(text_column))
    if not text.strip():
        return f"empty text in column {text_column!r}", None
    problem = review_problem(text)  # the one rule: too long, not UTF-8, no words (only punctuation or symbols)
    if problem is not None:
        return f"text in column {text_column!r}: {problem}", None
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
