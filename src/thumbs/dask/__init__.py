"""thumbs on a Dask cluster: ``pip install "thumbs[dask]"``.

:func:`analyze` adds each review's analysis to a Dask DataFrame, lazily (the columns of
``thumbs analyze --format parquet``); :func:`summarize` reduces one to the per-film summaries
:func:`thumbs.summarize` gives on one machine. The model reaches each worker once, by its file
(:mod:`thumbs.dask.workers`); ``thumbs analyze --scheduler ADDRESS`` and ``--cluster local:N``
run on the same core (:mod:`thumbs.dask.datasets`). See docs/scaling.md.

>>> import dask.dataframe as dd  # doctest: +SKIP
>>> from distributed import Client  # doctest: +SKIP
>>> client = Client("tcp://scheduler:8786")  # doctest: +SKIP
>>> reviews = dd.read_parquet("s3://bucket/reviews/")  # doctest: +SKIP
>>> thumbs.dask.analyze(reviews, text_column="review").to_parquet("s3://bucket/analyzed/")  # doctest: +SKIP
"""

from __future__ import annotations

from thumbs.dask.clusters import require_dask

require_dask()  # one line saying what to install, rather than an import error deep inside

from thumbs.dask.frames import analyze, summarize  # noqa: E402
from thumbs.dask.workers import ModelRef, WorkerModelError, model_ref, ship_model  # noqa: E402

__all__ = ["ModelRef", "WorkerModelError", "analyze", "model_ref", "ship_model", "summarize"]
