"""thumbs on a Dask DataFrame: :func:`analyze` adds the analysis lazily, :func:`summarize` reduces to film summaries.

Both run the one analysis core on each partition, on the workers: a partition's rows become
records as a table's rows do on one machine (:func:`~thumbs.batch.sources.table_records`: the
same checks, the same error for a review that cannot be read), the worker's model
(:func:`~thumbs.dask.workers.worker_model`, loaded once a process) analyzes them in chunks as
the batch engine does (:func:`~thumbs.batch.engine.analyze_records`), and the rows are typed as
``--format parquet`` types them.

>>> import dask.dataframe as dd  # doctest: +SKIP
>>> reviews = dd.read_parquet("reviews/")  # doctest: +SKIP
>>> analyzed = thumbs.dask.analyze(reviews, text_column="review", id_column="review_id")  # doctest: +SKIP
>>> analyzed.to_parquet("analyzed/")  # doctest: +SKIP
>>> films = thumbs.dask.summarize(reviews, by="film", text_column="review")  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thumbs.batch.outputs import arrow_schema
from thumbs.batch.sources import Record, table_records
from thumbs.corpora.tables import Row
from thumbs.dask.workers import ModelRef, analyzed_table, model_ref, ship_model, worker_model
from thumbs.errors import ThumbsError
from thumbs.pipeline.analysis import ROW_COLUMNS
from thumbs.pipeline.model import Model
from thumbs.summary.films import FilmFold, FilmSummary
from thumbs.summary.run import fold_records

#: Partial summaries merged by one task at a time (the width of the reduction's tree).
MERGE_FAN_IN = 8

__all__ = ["analyze", "summarize"]


def analyze(
    frame: Any,
    text_column: str,
    id_column: str | None = None,
    model: Model | str | Path | None = None,
    fields: Sequence[str] | None = None,
    keep: Sequence[str] = (),
    shared_model: bool = False,
) -> Any:
    """A lazy Dask DataFrame of each row's analysis: the columns of ``thumbs analyze --format parquet``.

    ``text_column`` holds the reviews; ``id_column`` their ids (else each row's 1-based number in
    the frame, as one machine numbers a table's rows: counting them reads the frame once more, so
    name an id column where there is one); ``fields`` picks analysis columns (default: all of them,
    ``id`` always first); ``keep`` copies columns of ``frame`` after them (a film, a date). The
    result keeps ``frame``'s index and partitions. ``model`` is a model file (or a
    :class:`~thumbs.pipeline.model.Model` loaded from one; default: the shipped model); with a
    :class:`distributed.Client` running, its bytes are sent to every worker now
    (``shared_model=True``: the workers read it at its path). A review that cannot be read gets
    its ``error``, as on one machine.
    """
    columns = _checked_columns(frame, text_column, id_column, keep, "analyze")
    chosen = _checked_fields(fields, keep)
    ref = _shipped(model_ref(model, shared=shared_model))
    schema = arrow_schema((*chosen, *keep), {})
    firsts = None
    if id_column is None:
        from dask import delayed

        firsts = delayed(list)(_first_numbers(frame.to_delayed()))  # one lazy argument: the list
    return frame.map_partitions(
        _analyze_partition,
        ref,
        columns,
        tuple(keep),
        schema,
        firsts,
        meta=_empty_frame(schema),
        align_dataframes=False,
        partition_info=True,
    )


def summarize(
    frame: Any,
    by: str,
    text_column: str = "text",
    id_column: str | None = None,
    date_column: str | None = None,
    model: Model | str | Path | None = None,
    shared_model: bool = False,
) -> list[FilmSummary]:
    """One :class:`~thumbs.summary.films.FilmSummary` per value of column ``by``, computed on the cluster.

    Each partition is analyzed and folded into partial tallies where it lies; the partials are
    merged in a tree (:data:`MERGE_FAN_IN` at a time), in partition order, into the summaries
    :func:`thumbs.summarize` gives on one machine for the same rows: the counts, shares, stars,
    months and aspects' quotes exactly (ids as :func:`analyze` gives them). A film's praised and
    criticized phrases are counted exactly until it has more than 500 distinct phrases of a sign;
    past that both paths keep the most frequent (pruning as they go), and may keep different ones.
    ``date_column`` adds the months.
    """
    from dask import delayed

    if not isinstance(by, str) or not by:
        raise ThumbsError("thumbs.dask.summarize() needs by=COLUMN: the column that names each review's film")
    extra = (by,) if date_column is None else (by, date_column)
    columns = _checked_columns(frame, text_column, id_column, extra, "summarize")
    ref = _shipped(model_ref(model, shared=shared_model))
    parts = frame.to_delayed()
    firsts = _first_numbers(parts) if id_column is None else [0] * len(parts)
    folds = [
        delayed(_fold_partition)(part, first, ref, columns, extra, date_column is not None)
        for part, first in zip(parts, firsts, strict=True)
    ]
    if not folds:
        return []
    while len(folds) > 1:
        folds = [delayed(_merged)(*folds[i : i + MERGE_FAN_IN]) for i in range(0, len(folds), MERGE_FAN_IN)]
    fold: FilmFold = folds[0].compute()
    return fold.summaries()


def _first_numbers(parts: list[Any]) -> Any:
    """How many rows come before each partition (lazily: each partition's length, summed in order)."""
    from dask import delayed

    lengths = [delayed(len)(part) for part in parts]
    return [delayed(sum)(lengths[:number]) if number else 0 for number in range(len(parts))]


# --- on the workers -------------------------------------------------------------------------------


def _analyze_partition(
    part: Any,
    ref: ModelRef,
    columns: tuple[str, str | None],
    keep: tuple[str, ...],
    schema: Any,
    firsts: list[int] | None,
    partition_info: dict[str, Any] | None = None,
) -> Any:
    """One partition's analyses, typed by ``schema``, with the partition's index."""
    import pandas as pd

    first = firsts[partition_info["number"]] if firsts is not None and partition_info is not None else 0
    table = analyzed_table(worker_model(ref), _records(part, first, columns, keep), keep, schema)
    analyzed = table.to_pandas(types_mapper=pd.ArrowDtype)
    analyzed.index = part.index
    return analyzed


def _fold_partition(
    part: Any, first: int, ref: ModelRef, columns: tuple[str, str | None], extra: tuple[str, ...], dated: bool
) -> FilmFold:
    """One partition's reviews (after ``first`` rows of the frame), analyzed and folded into film tallies."""
    return fold_records(_records(part, first, columns, extra), worker_model(ref), dated=dated)


def _merged(*folds: FilmFold) -> FilmFold:
    """Partial folds merged, in order."""
    first, *rest = folds
    for fold in rest:
        first.merge(fold)
    return first


def _records(part: Any, first: int, columns: tuple[str, str | None], extra: Sequence[str]) -> list[Record]:
    """A pandas partition's rows as records, numbered after ``first`` rows: read as a table's rows are
    (missing cells None; without an id column, the id is the row's number)."""
    text_column, id_column = columns
    wanted = list(dict.fromkeys((text_column, *extra, *([id_column] if id_column is not None else []))))
    cells = {name: [None if _missing(value) else value for value in part[name].tolist()] for name in wanted}
    values = [dict(zip(cells, row, strict=True)) for row in zip(*cells.values(), strict=True)]
    rows = (Row(number, row) for number, row in enumerate(values, start=first + 1))
    return list(table_records(rows, text_column=text_column, id_column=id_column, extra_columns=extra))


def _missing(value: Any) -> bool:
    """Whether a pandas cell is missing (None, NaN, NA, NaT): read as an empty cell, None."""
    import pandas as pd

    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


# --- checks and helpers ---------------------------------------------------------------------------


def _checked_columns(
    frame: Any, text_column: str, id_column: str | None, extra: Sequence[str], what: str
) -> tuple[str, str | None]:
    """``(text_column, id_column)``, each named column checked to be in ``frame``."""
    if not hasattr(frame, "map_partitions") or not hasattr(frame, "columns"):
        raise ThumbsError(f"thumbs.dask.{what}() takes a Dask DataFrame, not {type(frame).__name__}")
    if not isinstance(text_column, str) or not text_column:
        raise ThumbsError(f"thumbs.dask.{what}() needs text_column=COLUMN: the column that holds the reviews")
    have = list(frame.columns)
    for name, option in (
        (text_column, "text_column"),
        (id_column, "id_column"),
        *((c, "a kept column") for c in extra),
    ):
        if name is not None and name not in have:
            listed = ", ".join(map(repr, have)) or "none"
            raise ThumbsError(f"column {name!r} ({option}) is not in the frame; its columns are: {listed}")
    return text_column, id_column


def _checked_fields(fields: Sequence[str] | None, keep: Sequence[str]) -> tuple[str, ...]:
    """The analysis columns asked for, ``id`` first, each one checked."""
    clash = [name for name in keep if name in ROW_COLUMNS]
    if clash:
        raise ThumbsError(f"keep: the analysis has a {clash[0]!r} column already; rename that column")
    if len(set(keep)) < len(keep):
        raise ThumbsError("keep: a column is named twice; keep it once")
    if fields is None:
        return ROW_COLUMNS
    if isinstance(fields, str):
        fields = [fields]
    unknown = [name for name in fields if name not in ROW_COLUMNS]
    if unknown:
        raise ThumbsError(f"fields: {unknown[0]!r} is not an analysis column; they are {', '.join(ROW_COLUMNS)}")
    return ("id", *(name for name in ROW_COLUMNS if name in fields and name != "id"))


def _shipped(ref: ModelRef) -> ModelRef:
    """``ref``, its model file sent to the workers of the running Dask client, if there is one."""
    try:
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):
        return ref  # no cluster: the local scheduler's threads read the file here
    ship_model(client, ref)
    return ref


def _empty_frame(schema: Any) -> Any:
    """An empty pandas frame of ``schema``'s columns and types: the ``meta`` Dask needs."""
    import pandas as pd

    return schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)
