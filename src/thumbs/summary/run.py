"""Summarizing reviews: analyze a stream of (group, date, review) and fold it into film summaries.

The analysis is the one every other shell runs (:meth:`~thumbs.pipeline.model.Model.analyze_many`,
with its worker processes); the folding is :mod:`thumbs.summary.films`'s. Nothing but the
tallies is kept, so memory stays flat however many reviews stream through.

>>> summaries = summarize(  # doctest: +SKIP
...     [{"film": "Vertigo", "text": "A haunting, gorgeous film."}, {"film": "Vertigo", "text": "Dull."}],
...     by="film",
... )
>>> summaries[0].group, summaries[0].reviews  # doctest: +SKIP
('Vertigo', 2)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import tee
from pathlib import Path
from typing import Any

from thumbs.batch.sources import Record, RecordStream
from thumbs.errors import ThumbsError
from thumbs.pipeline.analysis import Analysis
from thumbs.pipeline.model import Model, load_model
from thumbs.summary.films import FilmSummary, camp_gap, summarize_analyses

#: The group of a review whose group cell is empty.
NO_GROUP = "(no group)"
#: A date written as year and month first ("2024-03", "2024-03-17", "2024/03/17 10:00").
_YEAR_MONTH = re.compile(r"^\s*(\d{4})[-/](\d{1,2})\b")


def month_of(value: Any) -> str | None:
    """The ``YYYY-MM`` of a date cell (ISO text, a date or datetime, a Unix time in seconds), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(float(value), tz=UTC)
        return f"{moment.year:04d}-{moment.month:02d}"
    found = _YEAR_MONTH.match(str(value))
    if found and 1 <= int(found.group(2)) <= 12:
        return f"{found.group(1)}-{int(found.group(2)):02d}"
    return None


def grouped_by_folder(records: RecordStream) -> RecordStream:
    """The records with each one's group set to the folder its review file is in: a folder per film.

    ``films/Vertigo/12.txt`` is in ``Vertigo``; a table's row, which has no file of its own, is in
    :data:`NO_GROUP`.
    """

    def regrouped() -> Iterator[Record]:
        for record in records:
            folder = Path(record.id).parent.name if record.id else ""
            yield replace(record, extra=(folder or None,))

    return RecordStream(regrouped(), records.total)


def summarize_records(
    records: Iterable[Record],
    model: Model,
    *,
    jobs: int = 1,
    dated: bool = False,
    on_each: Callable[[], None] | None = None,
) -> list[FilmSummary]:
    """Film summaries of records whose ``extra`` is ``(group,)`` or, ``dated``, ``(group, date)``.

    A record that could not be read counts as read and failed in its group.
    """

    def keyed() -> Iterator[tuple[str, str | None, Record]]:
        for record in records:
            group = record.extra[0] if record.extra else None
            name = NO_GROUP if group is None or str(group).strip() == "" else str(group)
            yield name, (month_of(record.extra[1]) if dated and len(record.extra) > 1 else None), record

    ours, theirs = tee(keyed())
    readable = ((record.id, record.text or "") for _, _, record in theirs if record.error is None)
    analyses = model.analyze_many(readable, jobs=jobs)

    def folded() -> Iterator[tuple[str, str | None, Analysis]]:
        for group, month, record in ours:
            if record.error is not None:
                analysis = model.error_result(record.id, record.error)
            else:
                analysis = next(analyses)
            if on_each is not None:
                on_each()
            yield group, month, analysis

    return summarize_analyses(folded(), camp_gap(model))


def summarize(
    reviews: Iterable[Mapping[str, Any]],
    by: str,
    *,
    text: str = "text",
    id: str | None = None,
    date: str | None = None,
    model: Model | None = None,
    jobs: int = 1,
) -> list[FilmSummary]:
    """One :class:`~thumbs.summary.films.FilmSummary` per value of column ``by``, most reviewed first.

    ``reviews`` are rows (mappings): ``text`` names the review's column, ``id`` its id's (else the
    1-based row number), ``date`` a date column for the summaries by month. A row whose review
    cannot be read counts as failed in its group.
    """
    if not isinstance(by, str) or not by:
        raise ThumbsError("summarize() needs by=COLUMN: the column that names each review's film (or group)")
    from thumbs.text.review import review_problem

    def records() -> Iterator[Record]:
        for number, row in enumerate(reviews, start=1):
            if not isinstance(row, Mapping):
                raise ThumbsError(f"summarize() takes rows as mappings (dicts); row {number} is {type(row).__name__}")
            if by not in row:
                raise ThumbsError(f"row {number} has no {by!r} column: check by=")
            value = row.get(text)
            problem = review_problem(value) if text in row else f"no {text!r} field in this record"
            row_id = str(row[id]) if id is not None and row.get(id) is not None else str(number)
            extra = (row.get(by), row.get(date)) if date is not None else (row.get(by),)
            yield Record(number - 1, row_id, None if problem else value, problem, extra)

    return summarize_records(records(), model or load_model(), jobs=jobs, dated=date is not None)
