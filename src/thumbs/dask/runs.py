"""What ``thumbs analyze`` and ``thumbs summarize`` do with ``--scheduler`` or ``--cluster``: check, cut, connect, run.

Every user mistake is found before a cluster starts (the inputs and their columns, the output
folder, the model file), then :func:`~thumbs.dask.clusters.connect` reaches the cluster and
:mod:`thumbs.dask.datasets` runs the pieces on it.
"""

from __future__ import annotations

import fnmatch
import glob
from collections.abc import Sequence
from pathlib import Path

from thumbs.batch.pieces import Piece, split_sources
from thumbs.dask.clusters import connect, local_workers, require_dask
from thumbs.dask.datasets import DatasetSummary, Reading, analyze_to_dataset, check_dataset, summarize_pieces
from thumbs.dask.workers import model_ref
from thumbs.errors import ThumbsError
from thumbs.pipeline.analysis import ROW_COLUMNS
from thumbs.pipeline.model import Model
from thumbs.summary.films import FilmSummary

#: Reviews a partition holds by default: a few seconds to a minute of one core's work, few enough
#: that a lost worker costs little, many enough that the scheduler's cost per task (milliseconds) is nothing.
PARTITION_ROWS = 10_000

__all__ = ["PARTITION_ROWS", "analyze_on_cluster", "kept_kinds", "summarize_on_cluster"]


def analyze_on_cluster(
    sources: Sequence[str],
    output: Path,
    model: Model,
    *,
    scheduler: str | None,
    cluster: str | None,
    reading: Reading,
    partition_rows: int = PARTITION_ROWS,
    shared_model: bool = False,
    resume: bool = False,
    progress: bool | None = None,
) -> DatasetSummary:
    """Analyze ``sources`` on a cluster into the Parquet dataset folder ``output`` (see :mod:`thumbs.dask.datasets`)."""
    local_workers(scheduler, cluster)
    require_dask()
    for number, name in enumerate(reading.extra_columns):
        if name in ROW_COLUMNS or name in reading.extra_columns[:number]:
            why = "the results have a field of that name: rename the column" if name in ROW_COLUMNS else "keep it once"
            raise ThumbsError(f"--keep {name}: {why}")
    _check_output(output, sources)
    pieces = _pieces(sources, reading, partition_rows)
    ref = model_ref(model, shared=shared_model)
    kinds = kept_kinds(pieces, reading.extra_columns)
    check_dataset(output, ref, pieces, reading=reading, kinds=kinds, resume=resume)  # before a cluster starts
    with connect(scheduler, cluster) as client:
        return analyze_to_dataset(
            client, pieces, ref, output, reading=reading, kinds=kinds, resume=resume, progress=progress
        )


def summarize_on_cluster(
    sources: Sequence[str],
    model: Model,
    *,
    scheduler: str | None,
    cluster: str | None,
    reading: Reading,
    dated: bool,
    by_folder: bool,
    partition_rows: int = PARTITION_ROWS,
    shared_model: bool = False,
    progress: bool | None = None,
) -> list[FilmSummary]:
    """Film summaries of ``sources``, analyzed and folded on a cluster."""
    local_workers(scheduler, cluster)
    require_dask()
    pieces = _pieces(sources, reading, partition_rows)
    ref = model_ref(model, shared=shared_model)
    with connect(scheduler, cluster) as client:
        return summarize_pieces(
            client, pieces, ref, reading=reading, dated=dated, by_folder=by_folder, progress=progress
        )


def _pieces(sources: Sequence[str], reading: Reading, partition_rows: int) -> list[Piece]:
    return split_sources(
        sources,
        text_column=reading.text_column,
        id_column=reading.id_column,
        extra_columns=reading.extra_columns,
        rows_per_piece=partition_rows,
    )


def _check_output(output: Path, sources: Sequence[str]) -> None:
    """Refuse an output folder that is an input, holds one, or lies inside one (a folder or a glob's):
    the run, or the next one that resumes it, would read its own results."""
    folder = output.resolve()
    for source in sources:
        named = [source] if Path(source).exists() else sorted(glob.glob(source, recursive=True))
        for path in (Path(name).resolve() for name in named if name != "-"):
            if path == folder or folder in path.parents:
                raise ThumbsError(f"--output {output} holds the input {source}: write the results into another folder")
            if path.is_dir() and path in folder.parents:
                raise ThumbsError(f"--output {output} is inside the input {source}: write the results elsewhere")
        if glob.has_magic(source) and _glob_reaches(source, folder):
            raise ThumbsError(f"--output {output} is matched by the input {source}: write the results elsewhere")


def _glob_reaches(pattern: str, folder: Path) -> bool:
    """Whether files the run writes into ``folder`` would match ``pattern`` (a later run would read them)."""
    probe = str(folder / "part-000000.parquet")
    return fnmatch.fnmatch(probe, str(Path(pattern).resolve())) or fnmatch.fnmatch(probe, pattern)


def kept_kinds(pieces: Sequence[Piece], extra: Sequence[str]) -> dict[str, set[type]]:
    """The Python types of the kept columns' values, as the input declares them: Parquet files' numbers and
    booleans stay numbers and booleans where every file agrees; anything else is text (as on one machine)."""
    if not extra:
        return {}
    sources = {piece.path(piece.source) for piece in pieces if piece.part is not None}
    if not sources or not all(source.lower().endswith(".parquet") for source in sources):
        return {column: {str} for column in extra}
    import pyarrow as pa
    import pyarrow.parquet as pq

    found: dict[str, set[type]] = {column: set() for column in extra}
    for source in sorted(sources):
        schema = pq.read_schema(source)
        for column in extra:
            kind = schema.field(column).type
            if pa.types.is_boolean(kind):
                found[column].add(bool)
            elif pa.types.is_integer(kind):
                found[column].add(int)
            elif pa.types.is_floating(kind):
                found[column].add(float)
            elif not pa.types.is_null(kind):
                found[column].add(str)
    return {column: kinds if len(kinds) == 1 or kinds == {int, float} else {str} for column, kinds in found.items()}
