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
* **Output** (:func:`run_batch`): JSON Lines, JSON, CSV, TSV or Parquet, checked first by
  :func:`thumbs.batch.targets.check_output` (never an input, every path problem one line).
  For a regular file, results go first to a journal, ``OUTPUT.partial`` (a header line, then
  one JSON line per finished review, flushed after each chunk). When every review is done the
  output is written to a hidden temporary file beside it and renamed onto ``OUTPUT``, then the
  journal is deleted, so an interrupted run never leaves a half-written ``OUTPUT``. Stdout, a
  FIFO or a device is written into directly as results come (no journal, no resume).
* **Interrupts**: Ctrl-C (KeyboardInterrupt) becomes :class:`BatchInterrupted`, which says how
  many reviews are done and whether ``--resume`` can continue; the journal is closed first.
* **Resume** (:mod:`thumbs.batch.journal`): with ``resume=True`` an existing journal is checked against the format, the
  model's columns and the input ids, a torn last line is dropped, and the run carries on
  after the reviews it holds. Without ``resume`` an old journal is silently overwritten.
  ``resume=True`` when ``OUTPUT`` exists and no journal does is an error ("already complete").
* **Kept columns**: ``keep`` names the records' ``extra`` values (a film, a date) that each
  result carries after its own fields (``thumbs analyze --keep film``).
* **Folding** (:func:`fold_batch`): the same run handing each chunk of results to a function
  instead of a file (``thumbs summarize`` on the terminal folds them into film summaries); with a
  file, ``run_batch(publish=...)`` decides what the finished journal becomes.

>>> summary = run_batch(model, read_records(["reviews/"]), output="out.csv")  # doctest: +SKIP
>>> summary.line()  # doctest: +SKIP
'analyzed 1,000 reviews: 997 ok, 3 failed -> out.csv'
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from thumbs.batch.journal import journal_header, journal_path, resume_point
from thumbs.batch.outputs import ROW_FORMATS, Results, StreamWriter, json_line, publish
from thumbs.batch.progress import progress_bar
from thumbs.batch.sources import Record
from thumbs.batch.targets import Target, check_output, output_format, write_error
from thumbs.errors import ThumbsError
from thumbs.parallel import check_chunk_size, check_jobs, chunked, map_with
from thumbs.pipeline.stream import DEFAULT_CHUNK_SIZE

#: Keys of the JSON line written for a review that could not be analyzed.
ERROR_JSON_KEYS = ("id", "label", "probability", "stars", "error")
#: What turns a finished journal into the output: ``(journal, output's real path, format, columns)``.
Publisher = Callable[[Path, Path, str, tuple[str, ...]], None]

__all__ = [
    "BatchInterrupted",
    "BatchSummary",
    "Publisher",
    "ResultLike",
    "SupportsAnalyze",
    "analyze_records",
    "fold_batch",
    "journal_path",
    "run_batch",
]


class ResultLike(Protocol):
    """One review's analysis, as the model returns it."""

    def to_dict(self) -> dict[str, Any]: ...  # nested, one JSON line; has "id" and "error"

    def to_row(self) -> dict[str, Any]: ...  # flat, keys == model.row_columns, scalar values


class SupportsAnalyze(Protocol):
    """What the engine needs from a model: analyze one text, and name the flat columns.

    A model may also have ``error_result(id, error) -> ResultLike``, the result for a review
    it could not analyze; the engine then writes that instead of the default error shape.
    """

    @property
    def row_columns(self) -> tuple[str, ...]: ...  # includes "id" and "error"

    def analyze(self, text: str, id: str | None = None) -> ResultLike: ...


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch did: records written (resumed ones included), how many failed, and where."""

    n_records: int
    n_errors: int
    n_skipped_resumed: int
    output: str  # "-" for stdout
    n_warnings: int = 0  # results with at least one warning (their verdict is less sure than it looks)

    def line(self) -> str:
        """One line for the user, e.g. ``analyzed 1,000 reviews: 997 ok, 3 failed, 12 with warnings -> out.jsonl``."""
        noun = "review" if self.n_records == 1 else "reviews"
        resumed = f" ({self.n_skipped_resumed:,} from an earlier run)" if self.n_skipped_resumed else ""
        ok = self.n_records - self.n_errors
        warned = f", {self.n_warnings:,} with warnings" if self.n_warnings else ""
        where = "stdout" if self.output == "-" else self.output
        return f"analyzed {self.n_records:,} {noun}{resumed}: {ok:,} ok, {self.n_errors:,} failed{warned} -> {where}"


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM made a KeyboardInterrupt) stopped a batch: what is done, and can it resume.

    ``journal`` is the file keeping the finished results (None for stdout or a stream, which
    cannot be resumed); ``output`` is ``"-"`` for stdout.
    """

    def __init__(self, done: int, output: str, journal: Path | None) -> None:
        super().__init__(f"{done:,} reviews done")
        self.done, self.output, self.journal = done, output, journal


@dataclass(slots=True)
class _Tally:
    """Records written so far (resumed ones included), and errors among them: read after an interrupt."""

    done: int = 0
    errors: int = 0
    warnings: int = 0


# --- analyzing a chunk of records ---------------------------------------------------------


def analyze_records(
    as_rows: bool, keep: tuple[str, ...], model: SupportsAnalyze, records: list[Record]
) -> list[dict[str, Any]]:
    """Each record's ``to_row()`` (or ``to_dict()``), or its error result, with its ``keep`` values.

    ``keep`` names the record's ``extra`` values (a film, a date), added to its result.
    """
    results = _results_of(as_rows, model, records)
    if keep:
        for result, record in zip(results, records, strict=True):
            result.update(zip(keep, record.extra))
    return results


def _results_of(as_rows: bool, model: SupportsAnalyze, records: list[Record]) -> list[dict[str, Any]]:
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


def run_batch(
    model: SupportsAnalyze,
    records: Iterable[Record],
    *,
    output: str | Path | Target | None,
    format: str | None = None,
    jobs: int = 1,
    resume: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool | None = None,
    total: int | None = None,
    inputs: Sequence[str] = (),
    keep: Sequence[str] = (),
    publish: Publisher = publish,
    settings: Mapping[str, Any] | None = None,
) -> BatchSummary:
    """Analyze ``records`` and write one result per record, in order, to ``output``.

    ``format`` is jsonl, json, csv, tsv or parquet (None: from ``output``'s extension, else
    jsonl for stdout). ``output=None`` streams to stdout; a :class:`Target` is one already
    checked; a path is checked here, against ``inputs`` (the sources as named). ``progress=None``
    shows a progress bar when stderr is a terminal; ``total`` defaults to ``records.total``.
    ``keep`` names the records' ``extra`` values (:func:`~thumbs.batch.sources.read_records`'s
    ``extra_columns``: a film, a date) that each result carries after its own fields.
    ``publish`` turns the finished journal into ``output`` (default: the results in ``format``;
    ``thumbs summarize`` folds them into film summaries instead). The journal's header records the
    model's ``fingerprint`` (when it has one) and ``settings`` (JSON values: how a caller groups the
    results), so that ``resume`` refuses a journal of another model, other aspects or settings.
    """
    if output is not None and not isinstance(output, Target):
        output = check_output(output, inputs=inputs)  # a folder, a missing one: said before the format
    fmt = output_format(format, output.path if output is not None else None)
    check_chunk_size(chunk_size)
    check_jobs(jobs)
    as_rows = fmt in ROW_FORMATS
    keep = _checked_keep(model, keep)
    columns = (*model.row_columns, *keep)
    total = total if total is not None else getattr(records, "total", None)
    records = iter(records)
    drive = partial(_drive, model=model, records=records, as_rows=as_rows, keep=keep, jobs=jobs, chunk_size=chunk_size)
    if output is None:
        if resume:
            raise ThumbsError("--resume needs --output FILE: results written to stdout cannot be resumed")
        if fmt == "parquet":
            raise ThumbsError("parquet cannot be written to stdout: pass --output FILE.parquet")
        tally = _Tally()
        writer = StreamWriter(fmt, columns, sys.stdout)
        with _interrupts(tally, "-", None):
            drive(writer, tally=tally, progress=progress, total=total)
            writer.finish()
        return BatchSummary(tally.done, tally.errors, 0, "-", tally.warnings)

    if (target := output).stream:
        return _run_stream(target, fmt, columns, resume, drive, progress, total)
    journal = journal_path(target.real)
    header = journal_header(fmt, columns, {"model": getattr(model, "fingerprint", None), **(settings or {})})
    with _writing(target.path):
        point = resume_point(journal, header, records) if resume and journal.exists() else None
    if resume and point is None and target.real.exists() and not journal.exists():
        raise ThumbsError(
            f"{target.path} is already complete (there is no {journal.name} to resume): run without --resume"
        )
    resumed, old_errors, old_warnings = point or (0, 0, 0)
    tally = _Tally(resumed, old_errors, old_warnings)
    with _writing(target.path):
        out = open(journal, "a" if point else "w", encoding="utf-8", newline="\n")
    then = f": the finished results are kept in {journal.name}, run the same command with --resume"

    def write(results: Results) -> None:
        with _writing(target.path, then):
            out.write("".join(map(json_line, results)))
            out.flush()  # a killed run keeps every finished chunk

    with _interrupts(tally, str(target.path), journal):
        with out:
            if point is None:
                with _writing(target.path, then):
                    out.write(json_line(header))
            drive(write, tally=tally, progress=progress, total=total, done=resumed)
        with _writing(target.path, then):
            publish(journal, target.real, fmt, columns)
            journal.unlink()
    return BatchSummary(tally.done, tally.errors, resumed, str(target.path), tally.warnings)


def _run_stream(
    target: Target,
    fmt: str,
    columns: tuple[str, ...],
    resume: bool,
    drive: Callable[..., None],
    progress: bool | None,
    total: int | None,
) -> BatchSummary:
    """Write the results straight into ``target``, a FIFO, device or descriptor: never replaced, no journal."""
    where = f"--output {target.path} is a {target.kind}"
    if resume:
        raise ThumbsError(f"{where}, written as results come with no journal: it cannot be resumed, drop --resume")
    if fmt == "parquet":
        raise ThumbsError(f"{where} and parquet needs a regular file: use jsonl, json, csv or tsv there")
    tally = _Tally()
    with _writing(target.path):
        out = open(target.path, "a", encoding="utf-8", newline="")
    writer = StreamWriter(fmt, columns, out)

    def write(results: Results) -> None:
        with _writing(target.path):
            writer(results)

    with _interrupts(tally, str(target.path), None), out:
        drive(write, tally=tally, progress=progress, total=total)
        with _writing(target.path):
            writer.finish()
    return BatchSummary(tally.done, tally.errors, 0, str(target.path), tally.warnings)


def fold_batch(
    model: SupportsAnalyze,
    records: Iterable[Record],
    fold: Callable[[Results], None],
    *,
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool | None = None,
    total: int | None = None,
    keep: Sequence[str] = (),
) -> BatchSummary:
    """Analyze ``records`` and hand each chunk's results (``to_dict()``, in order) to ``fold``: no file, no journal.

    What :func:`run_batch` does for a caller that keeps its own aggregate of the results (a film
    summary on the terminal) rather than a file of them; Ctrl-C is :class:`BatchInterrupted`.
    """
    check_chunk_size(chunk_size)
    check_jobs(jobs)
    keep = _checked_keep(model, keep)
    tally = _Tally()
    total = total if total is not None else getattr(records, "total", None)
    with _interrupts(tally, "-", None):
        _drive(
            fold,
            model=model,
            records=iter(records),
            as_rows=False,
            keep=keep,
            jobs=jobs,
            chunk_size=chunk_size,
            tally=tally,
            progress=progress,
            total=total,
        )
    return BatchSummary(tally.done, tally.errors, 0, "-", tally.warnings)


def _checked_keep(model: SupportsAnalyze, keep: Sequence[str]) -> tuple[str, ...]:
    """``keep`` as a tuple, refused in one line when a name is given twice or is a field of the results."""
    keep = tuple(keep)
    fields = set(model.row_columns) | set(_error_result(model, False, None, "-"))
    for number, name in enumerate(keep):
        if name in fields:
            raise ThumbsError(f"--keep {name}: the results have a {name!r} field already; rename that column")
        if name in keep[:number]:
            raise ThumbsError(f"--keep {name} is given twice: keep a column once")
    return keep


@contextmanager
def _writing(path: Path, then: str = "") -> Iterator[None]:
    """Turn an OSError inside (writing the journal or the output) into one line about ``path``."""
    try:
        yield
    except BrokenPipeError:
        raise  # the CLI ends quietly when the reader of a pipe goes away
    except OSError as exc:
        raise write_error(exc, path, then=then) from None


@contextmanager
def _interrupts(tally: _Tally, output: str, journal: Path | None) -> Iterator[None]:
    """Turn a KeyboardInterrupt inside into :class:`BatchInterrupted` with what ``tally`` counted."""
    try:
        yield
    except BatchInterrupted:
        raise
    except KeyboardInterrupt:
        raise BatchInterrupted(tally.done, output, journal) from None


def _drive(
    write: Callable[[Results], None],
    *,
    model: SupportsAnalyze,
    records: Iterator[Record],
    as_rows: bool,
    keep: tuple[str, ...],
    jobs: int,
    chunk_size: int,
    tally: _Tally,
    progress: bool | None,
    total: int | None,
    done: int = 0,
) -> None:
    """Analyze ``records`` chunk by chunk and ``write`` each chunk's results, counting them in ``tally``."""
    analyze = partial(analyze_records, as_rows, keep)
    results_stream = map_with(model, analyze, chunked(records, chunk_size), jobs=jobs)
    with closing(results_stream), progress_bar(progress, total, done) as advance:
        for results in results_stream:
            write(results)
            tally.done += len(results)
            tally.errors += sum(result.get("error") is not None for result in results)
            tally.warnings += sum(bool(result.get("warnings")) for result in results)
            advance(len(results))
