"""The batch engine behind ``thumbs analyze`` on many reviews: analyze in order, journal, resume.

It neither tokenizes, scores nor formats an analysis: a model object does that (see
:class:`SupportsAnalyze`). This module takes a stream of records (read by
:mod:`thumbs.batch.sources`), hands chunks of them to the model (in worker processes with
``jobs > 1``, see :mod:`thumbs.parallel`) and writes one result per review, in input order,
with flat memory however many reviews there are; :mod:`thumbs.batch.outputs` writes the files.

* **Error results**: a record that could not be read, or on which the model raised, gets an
  error result and the batch goes on: a CSV/Parquet row has every column None except ``id``
  and ``error``; a JSON line is ``{"id": ..., "label": null, "probability": null, "stars":
  null, "error": ...}`` (unless the model has ``error_result(id, error)``, see
  :class:`SupportsAnalyze`).
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

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from thumbs.batch.outputs import Results, json_line, output_format, publish, stdout_writer
from thumbs.batch.sources import Record
from thumbs.errors import DataNotFoundError, ThumbsError
from thumbs.parallel import check_chunk_size, check_jobs, chunked, map_with
from thumbs.pipeline.stream import DEFAULT_CHUNK_SIZE

#: Keys of the JSON line written for a review that could not be analyzed.
ERROR_JSON_KEYS = ("id", "label", "probability", "stars", "error")
#: The journal sits beside the output: ``out.csv`` -> ``out.csv.partial``.
JOURNAL_SUFFIX = ".partial"
JOURNAL_VERSION = 1

__all__ = ["BatchSummary", "ResultLike", "SupportsAnalyze", "journal_path", "run_batch"]


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


# --- analyzing a chunk of records ---------------------------------------------------------


def _analyze_records(as_rows: bool, model: SupportsAnalyze, records: list[Record]) -> list[dict[str, Any]]:
    """Each record's ``to_row()`` (or ``to_dict()``), or its error result.

    A model with ``analyze_batch(texts, ids)`` gets the chunk's readable records in one
    call (it vectorizes across them); if that raises, each record is retried on its own
    so that only the bad one fails.
    """
    whole = _analyze_chunk(model, [r for r in records if r.error is None])
    if whole is not None:
        done = iter(whole)
        return [
            (lambda result: result.to_row() if as_rows else result.to_dict())(next(done))
            if record.error is None
            else _error_result(model, as_rows, record.id, record.error)
            for record in records
        ]
    results: list[dict[str, Any]] = []
    for record in records:
        error = record.error
        if error is None:
            try:
                result = model.analyze(record.text, id=record.id)  # type: ignore[arg-type]
                results.append(result.to_row() if as_rows else result.to_dict())
                continue
            except Exception as exc:
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


def _analyze_chunk(model: SupportsAnalyze, records: list[Record]) -> list[ResultLike] | None:
    """``model.analyze_batch`` of the records' texts, or None when the model has none or it failed."""
    analyze_batch = getattr(model, "analyze_batch", None)
    if analyze_batch is None or not records:
        return None
    try:
        return list(analyze_batch([r.text for r in records], [r.id for r in records]))
    except Exception:
        return None


# --- running a batch: journal, resume, progress ----------------------------------------------


def journal_path(output: str | Path) -> Path:
    """Where a run writing ``output`` keeps its finished results: ``out.csv`` -> ``out.csv.partial``."""
    output = Path(output)
    return output.with_name(output.name + JOURNAL_SUFFIX)


def run_batch(
    model: SupportsAnalyze,
    records: Iterable[Record],
    *,
    output: str | Path | None,
    format: str | None = None,
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
    check_chunk_size(chunk_size)
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
        done, errors = _drive(stdout_writer(fmt, columns), model, records, as_rows, jobs, chunk_size, progress, total)
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
            out.write(json_line(header))

        def write(results: Results) -> None:
            out.write("".join(map(json_line, results)))
            out.flush()  # a killed run keeps every finished chunk

        done, errors = _drive(write, model, records, as_rows, jobs, chunk_size, progress, total, resumed)
    publish(journal, output, fmt, columns)
    return BatchSummary(done, old_errors + errors, resumed, str(output))


def _drive(
    write: Callable[[Results], None],
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
    results_stream = map_with(model, partial(_analyze_records, as_rows), chunked(records, chunk_size), jobs=jobs)
    with closing(results_stream), _progress_bar(progress, total, done) as advance:
        for results in results_stream:
            write(results)
            done += len(results)
            errors += sum(result.get("error") is not None for result in results)
            advance(len(results))
    return done, errors


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
            raise ThumbsError(
                f"{journal} is from a run with another format or model: run without --resume to start over"
            )
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
