"""What ``thumbs analyze`` and ``thumbs summarize`` do with ``--scheduler`` or ``--cluster``: check, cut, connect, run.

Every user mistake is found before a cluster starts (the inputs and their columns, the output
folder, the model file), then :func:`~thumbs.dask.clusters.connect` reaches the cluster and
:mod:`thumbs.dask.datasets` runs the pieces on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from thumbs.batch.pieces import Piece, split_sources
from thumbs.dask.clusters import connect, require_dask
from thumbs.dask.datasets import DatasetSummary, Reading, analyze_to_dataset, check_dataset, summarize_pieces
from thumbs.dask.workers import model_ref
from thumbs.errors import ThumbsError
from thumbs.pipeline.analysis import ROW_COLUMNS
from thumbs.pipeline.model import Model
from thumbs.summary.films import FilmSummary

#: Reviews a partition holds by default: a few seconds to a minute of one core's work, few enough
#: that a lost worker costs little, many enough that the scheduler's cost per task (milliseconds) is nothing.
PARTITION_ROWS = 10_000

__all__ = ["PARTITION_ROWS", "analyze_on_cluster", "summarize_on_cluster"]


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
    require_dask()
    for number, name in enumerate(reading.extra_columns):
        if name in ROW_COLUMNS or name in reading.extra_columns[:number]:
            why = "the results have a field of that name: rename the column" if name in ROW_COLUMNS else "keep it once"
            raise ThumbsError(f"--keep {name}: {why}")
    _check_output(output, sources)
    pieces = _pieces(sources, reading, partition_rows)
    ref = model_ref(model, shared=shared_model)
    kinds = _kept_kinds(pieces, reading.extra_columns)
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
    """Refuse an output folder that is an input, or holds one: the run would read its own results."""
    folder = output.resolve()
    for source in sources:
        if source == "-" or not Path(source).exists():
            continue
        path = Path(source).resolve()
        if path == folder or folder in path.parents:
            raise ThumbsError(f"--output {output} holds the input {source}: write the results into another folder")


def _kept_kinds(pieces: Sequence[Piece], extra: Sequence[str]) -> dict[str, set[type]]:
    """The Python types of the kept columns' values, as the input declares them: a Parquet file's
    numbers and booleans stay numbers and booleans, everything else is text (as on one machine)."""
    if not extra:
        return {}
    source = next((piece.source for piece in pieces if piece.source.lower().endswith(".parquet")), None)
    if source is None:
        return {column: {str} for column in extra}
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(source)
    kinds: dict[str, set[type]] = {}
    for column in extra:
        kind = schema.field(column).type
        if pa.types.is_boolean(kind):
            kinds[column] = {bool}
        elif pa.types.is_integer(kind):
            kinds[column] = {int}
        elif pa.types.is_floating(kind):
            kinds[column] = {float}
        else:
            kinds[column] = {str}
    return kinds
