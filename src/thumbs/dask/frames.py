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

from thumbs.batch.engine import analyze_records
from thumbs.batch.outputs import arrow_schema, arrow_table
from thumbs.batch.sources import Record, table_records
from thumbs.corpora.tables import Row
from thumbs.dask.workers import ModelRef, model_ref, ship_model, worker_model
from thumbs.errors import ThumbsError
from thumbs.parallel import chunked
from thumbs.pipeline.analysis import ROW_COLUMNS
from thumbs.pipeline.model import Model
from thumbs.pipeline.stream import DEFAULT_CHUNK_SIZE
from thumbs.summary.films import FilmFold, FilmSummary
from thumbs.summary.run import fold_records

#: The column a partition's index labels are copied into, as ids, when no ``id_column`` is given.
INDEX_ID = "__thumbs_index__"
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

    ``text_column`` holds the reviews; ``id_column`` their ids (else each row's index label, as
    text); ``fields`` picks analysis columns (default: all of them, ``id`` always first); ``keep``
    copies columns of ``frame`` after them (a film, a date). The result keeps ``frame``'s index
    and partitions. ``model`` is a model file (or a :class:`~thumbs.pipeline.model.Model` loaded
    from one; default: the shipped model); with a :class:`distributed.Client` running, its bytes
    are sent to every worker now (``shared_model=True``: the workers read it at its path).
    A review that cannot be read gets its ``error``, as on one machine.
    """
    columns = _checked_columns(frame, text_column, id_column, keep, "analyze")
    chosen = _checked_fields(fields, keep)
    ref = _shipped(model_ref(model, shared=shared_model))
    schema = arrow_schema((*chosen, *keep), {})
    meta = _empty_frame(schema)
    return frame.map_partitions(
        _analyze_partition,
        ref,
        columns,
        chosen,
        tuple(keep),
        schema,
        meta=meta,
        align_dataframes=False,
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
    :func:`thumbs.summarize` gives on one machine for the same rows (counts and shares exactly;
    the strongest quotes and phrases as one machine picks them). ``date_column`` adds the months.
    """
    from dask import delayed

    extra = (by,) if date_column is None else (by, date_column)
    columns = _checked_columns(frame, text_column, id_column, extra, "summarize")
    ref = _shipped(model_ref(model, shared=shared_model))
    folds = [
        delayed(_fold_partition)(part, ref, columns, extra, date_column is not None) for part in frame.to_delayed()
    ]
    if not folds:
        return []
    while len(folds) > 1:
        folds = [delayed(_merged)(*folds[i : i + MERGE_FAN_IN]) for i in range(0, len(folds), MERGE_FAN_IN)]
    fold: FilmFold = folds[0].compute()
    return fold.summaries()


# --- on the workers -------------------------------------------------------------------------------


def _analyze_partition(
    part: Any, ref: ModelRef, columns: tuple[str, str], fields: tuple[str, ...], keep: tuple[str, ...], schema: Any
) -> Any:
    """One partition's analyses, typed by ``schema``, with the partition's index."""
    import pandas as pd

    model = worker_model(ref)
    rows: list[dict[str, Any]] = []
    for chunk in chunked(_records(part, columns, keep), DEFAULT_CHUNK_SIZE):
        rows.extend(analyze_records(True, keep, model, chunk))
    analyzed = arrow_table(rows, schema).to_pandas(types_mapper=pd.ArrowDtype)
    analyzed.index = part.index
    return analyzed


def _fold_partition(
    part: Any, ref: ModelRef, columns: tuple[str, str], extra: tuple[str, ...], dated: bool
) -> FilmFold:
    """One partition's reviews, analyzed and folded into film tallies."""
    return fold_records(_records(part, columns, extra), worker_model(ref), dated=dated)


def _merged(*folds: FilmFold) -> FilmFold:
    """Partial folds merged, in order."""
    first, *rest = folds
    for fold in rest:
        first.merge(fold)
    return first


def _records(part: Any, columns: tuple[str, str], extra: Sequence[str]) -> list[Record]:
    """A pandas partition's rows as records: read as a table's rows are (missing cells None)."""
    text_column, id_column = columns
    wanted = list(dict.fromkeys((text_column, *extra, *([id_column] if id_column != INDEX_ID else []))))
    cells = {name: [None if _missing(value) else value for value in part[name].tolist()] for name in wanted}
    if id_column == INDEX_ID:
        cells[INDEX_ID] = [None if _missing(label) else str(label) for label in part.index.tolist()]
    values = [dict(zip(cells, row, strict=True)) for row in zip(*cells.values(), strict=True)]
    rows = (Row(number, row) for number, row in enumerate(values, start=1))
    return list(table_records(rows, text_column=text_column, id_column=id_column, extra_columns=extra))


def _missing(value: Any) -> bool:
    """Whether a pandas cell is missing (None, NaN, NA, NaT): read as an empty cell, None."""
    import pandas as pd

    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


# --- checks and helpers ---------------------------------------------------------------------------


def _checked_columns(
    frame: Any, text_column: str, id_column: str | None, extra: Sequence[str], what: str
) -> tuple[str, str]:
    """``(text_column, id column)``, each named column checked to be in ``frame``."""
    if not hasattr(frame, "map_partitions") or not hasattr(frame, "columns"):
        raise ThumbsError(f"thumbs.dask.{what}() takes a Dask DataFrame, not {type(frame).__name__}")
    have = list(frame.columns)
    for name, option in (
        (text_column, "text_column"),
        (id_column, "id_column"),
        *((c, "a kept column") for c in extra),
    ):
        if name is not None and name not in have:
            listed = ", ".join(map(repr, have)) or "none"
            raise ThumbsError(f"column {name!r} ({option}) is not in the frame; its columns are: {listed}")
    return text_column, id_column if id_column is not None else INDEX_ID


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
