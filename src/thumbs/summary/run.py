"""Summarizing reviews: analyze a stream of (group, date, review) and fold it into film summaries.

The analysis runs in the batch engine of ``thumbs analyze`` (:mod:`thumbs.batch.engine`: chunks,
worker processes, the progress bar, a journal and ``--resume``), on a :class:`FactsModel`, whose
results are the little a summary keeps of each review (:mod:`thumbs.summary.facts`); the folding
is :mod:`thumbs.summary.films`'s. Nothing but the tallies is kept in memory, so it stays flat
however many reviews stream through. Reviews analyzed before (``thumbs analyze --json``) are
folded as they are (:func:`read_analyses`), not analyzed twice.

>>> summaries = summarize(  # doctest: +SKIP
...     [{"film": "Vertigo", "text": "A haunting, gorgeous film."}, {"film": "Vertigo", "text": "Dull."}],
...     by="film",
... )
>>> summaries[0].group, summaries[0].reviews  # doctest: +SKIP
('Vertigo', 2)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from thumbs.batch.engine import analyze_records, fold_batch, run_batch
from thumbs.batch.journal import journal_results
from thumbs.batch.outputs import atomic_file, plain_value
from thumbs.batch.sources import Record, RecordStream
from thumbs.batch.targets import Target
from thumbs.corpora.tables import open_table
from thumbs.errors import ThumbsError
from thumbs.parallel import chunked
from thumbs.pipeline.model import Model, load_model
from thumbs.pipeline.stream import DEFAULT_CHUNK_SIZE
from thumbs.summary.facts import ANALYSIS_KEYS, FACT_KEYS, ReviewFacts, facts_from_analysis_json, facts_of
from thumbs.summary.films import FilmFold, FilmSummary, camp_gap

#: The group of a review whose group cell is empty.
NO_GROUP = "(no group)"
#: The names the batch engine gives each record's ``extra`` in its results: see :func:`fold_results`.
KEPT = ("group", "month")
#: What to do when a JSON Lines input is not ``thumbs analyze --json`` output.
_NOT_ANALYSES = "it is not a `thumbs analyze --json` output: pass --text-column to summarize a table of reviews"
#: Whole numbers read as ``YYYYMMDD`` (years 1000 to 9999), not as Unix seconds (which they would
#: put in 1970-1973, when no review on the web was written).
_YYYYMMDD_LOW, _YYYYMMDD_HIGH = 10_000_101, 99_991_231
#: Past this a Unix time is in milliseconds (as seconds it would be after the year 5138).
_LARGEST_SECONDS = 1e11
#: A date written as year and month first ("2024-03", "2024-03-17", "2024/03/17 10:00").
_YEAR_MONTH = re.compile(r"^\s*(\d{4})[-/](\d{1,2})\b")


def month_of(value: Any) -> str | None:
    """The ``YYYY-MM`` of a date cell, or None when it names no month.

    A date cell is ISO text (``2024-03``, ``2024-03-17``, ``2024/03/17 10:00``), a date or datetime,
    a whole number written ``YYYYMMDD`` (``20240317``), or a Unix time (seconds, or milliseconds as
    JavaScript writes them), as a number or as digits.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int | float):
        return _month_of_number(float(value))
    found = _YEAR_MONTH.match(str(value))
    if found and 1 <= int(found.group(2)) <= 12:
        return f"{found.group(1)}-{int(found.group(2)):02d}"
    return None


def _month_of_number(number: float) -> str | None:
    """A number's month: ``YYYYMMDD``, else Unix seconds, else milliseconds; None for any other number."""
    if not math.isfinite(number) or number < 0:
        return None
    if number.is_integer() and _YYYYMMDD_LOW <= number <= _YYYYMMDD_HIGH:
        digits = f"{int(number):08d}"
        if 1 <= int(digits[4:6]) <= 12 and 1 <= int(digits[6:8]) <= 31:
            return f"{digits[:4]}-{digits[4:6]}"
    seconds = number / 1000 if number > _LARGEST_SECONDS else number
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return f"{moment.year:04d}-{moment.month:02d}"


def group_name(value: Any) -> str:
    """The group a cell names: its text as JSON writes it (:func:`~thumbs.batch.outputs.plain_value`:
    a date in ISO form), or :data:`NO_GROUP` for an empty cell. A cell kept in a ``thumbs analyze``
    output names the same group as the cell itself.
    """
    text = "" if value is None else str(plain_value(value))
    return NO_GROUP if text.strip() == "" else text


def folder_of(review_id: str | None) -> str | None:
    """The folder a review file is in (``films/Vertigo/12.txt`` -> ``Vertigo``), None for a table's row."""
    return (Path(review_id).parent.name or None) if review_id else None


def grouped_by_folder(records: RecordStream) -> RecordStream:
    """The records with each one's group set to the folder its review file is in: a folder per film.

    ``films/Vertigo/12.txt`` is in ``Vertigo``; a table's row, which has no file of its own, is in
    :data:`NO_GROUP`.
    """

    def regrouped() -> Iterator[Record]:
        for record in records:
            yield replace(record, extra=(folder_of(record.id),))

    return RecordStream(regrouped(), records.total)


@dataclass(frozen=True, slots=True)
class FactsModel:
    """A model whose results are what a summary keeps of each review: what the batch engine runs for one.

    The engine (:func:`~thumbs.batch.engine.run_batch`, :func:`~thumbs.batch.engine.fold_batch`)
    hands it chunks on its worker processes, journals its results and resumes them, as it does
    for ``thumbs analyze``; only a :class:`~thumbs.summary.facts.ReviewFacts` a review travels.
    """

    model: Model
    row_columns: tuple[str, ...] = FACT_KEYS

    def analyze(self, text: str, id: str | None = None) -> ReviewFacts:
        return facts_of(self.model.analyze(text, id=id))

    def analyze_batch(self, texts: Sequence[object], ids: Sequence[str | None]) -> list[ReviewFacts]:
        return [facts_of(analysis) for analysis in self.model.analyze_batch(texts, ids)]

    def error_result(self, id: str | None, error: str) -> ReviewFacts:
        return ReviewFacts(id, error)

    @property
    def fingerprint(self) -> str:
        """The model's (a journal of it is resumed only with the same model and aspects)."""
        return self.model.fingerprint


def _keyed(records: Iterable[Record], dated: bool) -> Iterator[Record]:
    """The records with ``extra`` made ``(group, month)``: the group's name and the date's ``YYYY-MM``."""
    for record in records:
        extra = record.extra
        group = group_name(extra[0] if extra else None)
        month = month_of(extra[1]) if dated and len(extra) > 1 else None
        yield replace(record, extra=(group, month))


def fold_results(fold: FilmFold, results: Iterable[Mapping[str, Any]]) -> None:
    """Add results of :class:`FactsModel` carrying their ``group`` and ``month`` (:data:`KEPT`) to ``fold``."""
    for result in results:
        fold.add(result["group"], result.get("month"), ReviewFacts.from_dict(result))


def fold_records(records: Iterable[Record], model: Model, *, dated: bool = False, by_folder: bool = False) -> FilmFold:
    """Analyze ``records`` in this process and fold them into a new :class:`FilmFold`: what a cluster's
    worker does with its partition (the partitions' folds then merge, :meth:`FilmFold.merge`).

    ``records`` are as :func:`summarize_records` takes them; ``by_folder``: each one's group is its
    review file's folder instead (:func:`grouped_by_folder`).
    """
    if by_folder:
        records = (replace(record, extra=(folder_of(record.id),)) for record in records)
    fold = FilmFold(camp_gap(model))
    facts = FactsModel(model)
    for chunk in chunked(_keyed(records, dated), DEFAULT_CHUNK_SIZE):
        fold_results(fold, analyze_records(False, KEPT, facts, chunk))
    return fold


def summarize_records(
    records: Iterable[Record],
    model: Model,
    *,
    jobs: int = 1,
    dated: bool = False,
    progress: bool | None = False,
) -> list[FilmSummary]:
    """Film summaries of records whose ``extra`` is ``(group,)`` or, ``dated``, ``(group, date)``.

    A record that could not be read counts as read and failed in its group. ``progress=None``:
    a progress bar when stderr is a terminal.
    """
    fold = FilmFold(camp_gap(model))
    fold_batch(
        FactsModel(model),
        _keyed(records, dated),
        partial(fold_results, fold),
        jobs=jobs,
        keep=KEPT,
        progress=progress,
        total=getattr(records, "total", None),
    )
    return fold.summaries()


def summarize_records_into(
    records: Iterable[Record],
    model: Model,
    output: Target,
    write: Callable[[list[FilmSummary], Path, str], None],
    *,
    format: str,
    jobs: int = 1,
    dated: bool = False,
    resume: bool = False,
    progress: bool | None = None,
    grouping: Mapping[str, Any] | None = None,
) -> list[FilmSummary]:
    """:func:`summarize_records` into ``output``, written by ``write(summaries, path, format)``, resumably.

    Each finished review's facts go to a journal beside ``output`` (``films.csv.partial``) as the
    batch engine keeps them for ``thumbs analyze``; an interrupted run continues with ``resume``,
    after the reviews the journal holds, which are folded without being analyzed again. When all
    are done the journal is folded into the summaries, ``write`` writes them to a temporary path
    that is then renamed onto ``output``, and the journal is dropped. ``grouping`` says how the
    records were grouped and dated (the columns' names): a journal is resumed only by the same.
    """
    made: list[FilmSummary] = []

    def publish(journal: Path, real: Path, fmt: str, columns: tuple[str, ...]) -> None:
        fold = FilmFold(camp_gap(model))
        fold_results(fold, journal_results(journal))
        made.extend(fold.summaries())
        with atomic_file(real) as temporary:
            write(made, temporary, fmt)

    run_batch(
        FactsModel(model),
        _keyed(records, dated),
        output=output,
        format=format,
        jobs=jobs,
        resume=resume,
        progress=progress,
        total=getattr(records, "total", None),
        keep=KEPT,
        publish=publish,
        settings={"grouping": dict(grouping or {}), "dated": dated},
    )
    return made


def read_analyses(
    sources: Sequence[str], *, group_column: str | None, date_column: str | None = None
) -> Iterator[tuple[str, str | None, ReviewFacts]]:
    """``(group, month, facts)`` of each line of earlier ``thumbs analyze --json`` outputs (JSON Lines files).

    The group is the line's ``group_column`` (``thumbs analyze --keep film``), or with
    ``group_column=None`` the folder of its review file (its id). Every file is checked first.
    """
    wanted = {key: _NOT_ANALYSES for key in ANALYSIS_KEYS}
    for column, fix in ((group_column, "analyze with --keep COLUMN"), (date_column, "analyze with --keep COLUMN")):
        if column is not None:
            wanted[column] = fix
    tables = [open_table(source, wanted) for source in sources]
    for table in tables:
        for row in table.rows():
            if row.values is None:
                raise ThumbsError(f"{table.where}: {row.problem}")
            values = row.values
            facts = facts_from_analysis_json(values, f"{table.where} line {row.number}")
            group = values.get(group_column) if group_column is not None else folder_of(facts.id)
            month = month_of(values.get(date_column)) if date_column is not None else None
            yield group_name(group), month, facts


def is_analyses(sources: Sequence[str]) -> bool:
    """Whether every source is a JSON Lines file (``thumbs analyze --json`` output is read as analyses)."""
    return bool(sources) and all(Path(s).suffix.lower() in (".jsonl", ".ndjson") and Path(s).is_file() for s in sources)


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
