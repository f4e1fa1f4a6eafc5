"""``thumbs analyze`` and ``thumbs summarize`` on a cluster: input pieces in, a Parquet dataset (or summaries) out.

The client cuts the input into pieces (:func:`~thumbs.batch.sources.split_sources`: runs of a
table's rows, or review files) and hands one task a piece to the cluster. For ``analyze`` the
task reads its piece where it runs, analyzes it with the worker's model and writes one Parquet
file, ``part-000007.parquet``, into the output folder, atomically (a temporary file renamed; the
folder must be one every worker reaches). Each file records, in its Parquet metadata, the run it
belongs to and the piece it holds; ``--resume`` skips every piece whose file is there and says so,
and the folder's ``_thumbs_run.json`` names the run, so a folder is resumed only by the same
input, columns and model.

A worker killed in the middle (``kill -9``) loses nothing: the scheduler gives its tasks to the
other workers, and as a piece's file is only ever renamed whole onto its own name, the output
holds every input row exactly once. For ``summarize`` each task folds its piece into partial
tallies, which the client merges in piece order (:meth:`~thumbs.summary.films.FilmFold.merge`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from thumbs.batch.outputs import arrow_schema, atomic_file
from thumbs.batch.pieces import Piece, read_piece
from thumbs.batch.progress import progress_bar
from thumbs.dask.workers import ModelRef, analyzed_table, on_worker, ship_model, worker_model
from thumbs.errors import ThumbsError
from thumbs.pipeline.analysis import ROW_COLUMNS
from thumbs.summary.films import FilmFold, FilmSummary
from thumbs.summary.run import fold_records
from thumbs.version import __version__

#: The file naming a dataset's run (readers of Parquet datasets skip names starting with ``_``).
RUN_FILE = "_thumbs_run.json"
#: Each piece's file; zero-padded, so that the files sort in input order.
PART_NAME = "part-{:06d}.parquet"
#: Keys of each part file's Parquet metadata.
RUN_KEY, PIECE_KEY = b"thumbs.run", b"thumbs.piece"

__all__ = ["DatasetInterrupted", "DatasetSummary", "Reading", "analyze_to_dataset", "check_dataset", "summarize_pieces"]


@dataclass(frozen=True, slots=True)
class Reading:
    """How a piece's records are read: the columns of ``read_piece``."""

    text_column: str | None = None
    id_column: str | None = None
    extra_columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DatasetSummary:
    """What a cluster run wrote: reviews, failures, warnings, partitions (resumed ones included), and where."""

    n_records: int
    n_errors: int
    n_warnings: int
    n_partitions: int
    n_resumed: int
    output: str

    def line(self) -> str:
        """One line for the user, e.g. ``analyzed 3,000 reviews in 15 partitions: 2,998 ok, 2 failed -> out/``."""
        resumed = f" ({self.n_resumed:,} from an earlier run)" if self.n_resumed else ""
        warned = f", {self.n_warnings:,} with warnings" if self.n_warnings else ""
        ok = self.n_records - self.n_errors
        partitions = "partition" if self.n_partitions == 1 else "partitions"
        return (
            f"analyzed {self.n_records:,} reviews in {self.n_partitions:,} {partitions}{resumed}: "
            f"{ok:,} ok, {self.n_errors:,} failed{warned} -> {self.output}"
        )


# --- analyze: one Parquet file a piece --------------------------------------------------------------


def analyze_to_dataset(
    client: Any,
    pieces: Sequence[Piece],
    ref: ModelRef,
    output: Path,
    *,
    reading: Reading,
    kinds: dict[str, set[type]],
    resume: bool = False,
    progress: bool | None = None,
) -> DatasetSummary:
    """Analyze ``pieces`` on ``client``'s cluster into the folder ``output``, one Parquet file a piece.

    ``kinds`` types the kept columns (``reading.extra_columns``) as the input holds them.
    """
    keys = [_piece_key(piece) for piece in pieces]  # each file stat-ed once
    run, schema, described = _checked(output, ref, keys, reading=reading, kinds=kinds, resume=resume)
    _start(output, run, described)
    folder = output.resolve()  # the workers write there, from wherever they run
    paths = [str(folder / PART_NAME.format(number)) for number in range(len(pieces))]
    done = {number: _written(Path(paths[number]), run, keys[number]) for number in range(len(pieces))}
    todo = [number for number in range(len(pieces)) if done[number] is None]
    ship_model(client, ref)
    futures = client.map(
        _write_piece,
        [pieces[number] for number in todo],
        [paths[number] for number in todo],
        [keys[number] for number in todo],
        ref=ref,
        reading=reading,
        schema=schema,
        run=run,
        pure=False,
    )
    counts = [stats for stats in done.values() if stats is not None]
    resumed = len(pieces) - len(todo)
    try:
        _gather(client, futures, counts, len(pieces), resumed, progress)
    except KeyboardInterrupt:
        raise DatasetInterrupted(len(counts), len(pieces), str(output)) from None
    finally:
        _drop_temporaries(folder)
    n, errors, warnings = (sum(c[i] for c in counts) for i in range(3))
    return DatasetSummary(n, errors, warnings, len(pieces), resumed, str(output))


def _write_piece(
    piece: Piece, path: str, key: str, *, ref: ModelRef, reading: Reading, schema: Any, run: str
) -> tuple[int, int, int]:
    """On a worker: read, analyze and write one piece; (reviews, failed, with warnings)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    model = worker_model(ref)
    with on_worker("the input", "put the input on storage every worker reaches"):
        table = analyzed_table(model, read_piece(piece, **asdict(reading)), reading.extra_columns, schema)
    warned = pc.sum(pc.fill_null(pc.not_equal(table["warnings"], ""), False)).as_py() or 0
    stats = (table.num_rows, table.num_rows - table["error"].null_count, warned)
    table = table.replace_schema_metadata({RUN_KEY: run.encode(), PIECE_KEY: json.dumps([key, *stats]).encode()})
    with on_worker(path, "the output folder must be on storage every worker reaches and can write"):
        with atomic_file(Path(path)) as temporary:
            pq.write_table(table, temporary)
    return stats


class DatasetInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a cluster run: how many partitions are written of how many, and where (``--resume`` goes on)."""

    def __init__(self, done: int, total: int, output: str) -> None:
        super().__init__(f"{done:,} of {total:,} partitions written")
        self.done, self.total, self.output = done, total, output


def _gather(
    client: Any, futures: list[Any], counts: list[tuple[int, int, int]], total: int, done: int, progress: bool | None
) -> None:
    """Wait for ``futures`` (a partition each), counting them into ``counts``; the first failure stops the run."""
    from distributed import as_completed

    with progress_bar(progress, total, done, unit="partitions") as advance, _cluster_failures(client, futures):
        for future in as_completed(futures):
            counts.append(future.result())
            advance(1)


@contextmanager
def _cluster_failures(client: Any, futures: list[Any]) -> Iterator[None]:
    """Cancel the run's tasks when it stops; say in one line why the cluster could not finish a task."""
    from distributed import KilledWorker

    try:
        yield
    except KilledWorker:
        client.cancel(futures)
        raise ThumbsError(
            "the workers running one partition died, again and again (out of memory?): "
            "lower --partition-rows, or give each worker more memory"
        ) from None
    except (asyncio.CancelledError, ConnectionError) as exc:
        client.cancel(futures)
        raise ThumbsError(f"the cluster stopped the run ({type(exc).__name__}): is the scheduler still up?") from None
    except BaseException:
        client.cancel(futures)
        raise


def _written(path: Path, run: str, piece: str) -> tuple[int, int, int] | None:
    """A piece's counts when its file is there, whole, of this run and this piece; else None."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_metadata(path)
    except (OSError, ValueError, pa.ArrowException):  # missing, torn, not Parquet: written again
        return None
    mine = metadata.metadata or {}
    if mine.get(RUN_KEY) != run.encode():
        return None
    try:
        key, *stats = json.loads(mine.get(PIECE_KEY, b"[]"))
    except ValueError:
        return None
    if key != piece or len(stats) != 3 or stats[0] != metadata.num_rows:
        return None
    return stats[0], stats[1], stats[2]


def check_dataset(
    output: Path,
    ref: ModelRef,
    pieces: Sequence[Piece],
    *,
    reading: Reading,
    kinds: dict[str, set[type]],
    resume: bool,
) -> tuple[str, Any]:
    """The run's key and Parquet schema, once ``output`` is found fit for it: a new or empty folder,
    or with ``resume`` the same run's. Nothing is written; every refusal is one line."""
    run, schema, _ = _checked(
        output, ref, [_piece_key(piece) for piece in pieces], reading=reading, kinds=kinds, resume=resume
    )
    return run, schema


def _checked(
    output: Path,
    ref: ModelRef,
    keys: Sequence[str],
    *,
    reading: Reading,
    kinds: dict[str, set[type]],
    resume: bool,
) -> tuple[str, Any, dict[str, str]]:
    """:func:`check_dataset` of the pieces' keys; also the run's description, for its ``_thumbs_run.json``."""
    schema = arrow_schema((*ROW_COLUMNS, *reading.extra_columns), kinds)
    described = _described(ref, reading, schema, keys)
    run = _digest(described)
    if output.exists() and not output.is_dir():
        raise ThumbsError(f"{output} is a file: on a cluster the output is a folder of Parquet files; name a folder")
    if not output.is_dir() or not any(output.iterdir()):
        return run, schema, described
    marker = output / RUN_FILE
    if not marker.is_file():
        raise ThumbsError(f"{output} holds other files: give a new or empty folder for the results")
    if not resume:
        raise ThumbsError(
            f"{output} holds an earlier run's results: add --resume to go on with it, or give a new folder"
        )
    try:
        earlier = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = None
    if not isinstance(earlier, dict) or earlier.get("run") != run:
        before = earlier.get("described", {}) if isinstance(earlier, dict) else {}
        what = next((why for key, why in _DIFFERENT.items() if before.get(key) != described[key]), "another run")
        raise ThumbsError(f"{output} holds {what}: --resume continues only the same run; give a new folder")
    return run, schema, described


def _start(output: Path, run: str, described: dict[str, str]) -> None:
    """Create the folder and its ``_thumbs_run.json`` (kept as it is when resuming)."""
    marker = output / RUN_FILE
    if marker.is_file():
        return
    try:
        output.mkdir(parents=True, exist_ok=True)
        with atomic_file(marker) as temporary:
            named = {"run": run, "described": described, "thumbs": __version__}
            temporary.write_text(json.dumps(named) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ThumbsError(
            f"cannot write into {output} ({exc.strerror or exc}): check the folder and its permissions"
        ) from None


def _drop_temporaries(output: Path) -> None:
    """Remove the temporary files a killed worker left half-written in ``output``."""
    for path in output.glob(".part-*.tmp"):
        path.unlink(missing_ok=True)


def _piece_key(piece: Piece) -> str:
    """What identifies a piece's input: its file(s) as they are now (size, modification time) and its part."""
    files = (piece.source,) if piece.part is not None else piece.files
    seen = []
    for name in files:
        try:
            status = os.stat(piece.path(name))
            seen.append([name, status.st_size, status.st_mtime_ns])
        except OSError:
            seen.append([name, None, None])
    part = asdict(piece.part) if piece.part is not None else None
    return _digest([seen, part])


#: What differs between a run and the one a folder holds, each said in words, checked in this order.
_DIFFERENT = {
    "model": "results of another model (or other aspects)",
    "columns": "results of other columns (--text-column, --id-column, --keep)",
    "input": "results of an input that has changed since (its files, or --partition-rows)",
}


def _described(ref: ModelRef, reading: Reading, schema: Any, keys: Sequence[str]) -> dict[str, str]:
    """What identifies a run, a digest for each of :data:`_DIFFERENT`: the model and its aspects, the
    columns read and written, and the pieces' keys (their files as they are now, and their rows)."""
    return {
        "model": ref.fingerprint,
        "columns": _digest([asdict(reading), str(schema)]),
        "input": _digest(list(keys)),
    }


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value).encode()).hexdigest()[:32]


# --- summarize: partial tallies a piece, merged in order ---------------------------------------------


def summarize_pieces(
    client: Any,
    pieces: Sequence[Piece],
    ref: ModelRef,
    *,
    reading: Reading,
    dated: bool,
    by_folder: bool,
    progress: bool | None = None,
) -> list[FilmSummary]:
    """Film summaries of ``pieces`` (records grouped by ``reading.extra_columns``, or by folder), on the cluster."""
    ship_model(client, ref)
    futures = client.map(
        _fold_piece, list(pieces), ref=ref, reading=reading, dated=dated, by_folder=by_folder, pure=False
    )
    from distributed import as_completed

    waiting: dict[int, FilmFold] = {}
    order = {future.key: number for number, future in enumerate(futures)}
    fold: FilmFold | None = None
    merged = 0
    with progress_bar(progress, len(futures), 0, unit="partitions") as advance, _cluster_failures(client, futures):
        for future in as_completed(futures):
            waiting[order[future.key]] = future.result()
            future.release()
            while merged in waiting:  # merge in piece order: the result does not depend on timing
                part = waiting.pop(merged)
                fold = part if fold is None else fold.merge(part)
                merged += 1
            advance(1)
    return fold.summaries() if fold is not None else []


def _fold_piece(piece: Piece, *, ref: ModelRef, reading: Reading, dated: bool, by_folder: bool) -> FilmFold:
    """On a worker: one piece's reviews analyzed and folded into film tallies."""
    model = worker_model(ref)
    with on_worker("the input", "put the input on storage every worker reaches"):
        return fold_records(read_piece(piece, **asdict(reading)), model, dated=dated, by_folder=by_folder)
