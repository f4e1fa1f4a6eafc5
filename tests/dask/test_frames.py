"""thumbs.dask.analyze and thumbs.dask.summarize on a Dask DataFrame, on a local cluster of two worker processes.

Each result must be what one machine computes for the same rows: the analysis row for row
(``Model.analyze_batch`` and ``to_row``), the film summaries field for field (``thumbs.summarize``).
One cluster serves the whole module (starting one costs seconds).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pytest
from distributed import Client, LocalCluster

import dask
import thumbs
import thumbs.dask
from tests.dask.conftest import review_rows
from thumbs.dask import WorkerModelError, model_ref, ship_model
from thumbs.dask import workers as dask_workers
from thumbs.errors import ThumbsError
from thumbs.pipeline.analysis import ROW_COLUMNS
from thumbs.pipeline.model import Model, load_model

ROWS = review_rows(240, seed=11)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


def frame(rows: list[dict[str, Any]], npartitions: int = 6, index: list[Any] | None = None) -> Any:
    return dd.from_pandas(pd.DataFrame(rows, index=index), npartitions=npartitions, sort=index is None)


def plain(analyzed: pd.DataFrame) -> list[dict[str, Any]]:
    """A computed analysis frame's rows as Python values (nulls None)."""
    return pa.Table.from_pandas(analyzed, preserve_index=False).to_pylist()


def one_machine(model: Model, texts: list[Any], ids: list[str]) -> list[dict[str, Any]]:
    return [analysis.to_row() for analysis in model.analyze_batch(texts, ids)]


def one_line(error: BaseException) -> str:
    message = str(error)
    assert message and "\n" not in message
    return message


# --- analyze ----------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_analyze_equals_one_machine_row_for_row(client: Client, model: Model) -> None:
    analyzed = thumbs.dask.analyze(frame(ROWS), text_column="text", id_column="rid", keep=["film"])
    assert list(analyzed.columns) == [*ROW_COLUMNS, "film"]
    got = plain(analyzed.compute())
    expected = one_machine(model, [r["text"] for r in ROWS], [r["rid"] for r in ROWS])
    for row, source in zip(expected, ROWS, strict=True):
        row["film"] = source["film"]
    assert got == expected
    assert sum(row["error"] is not None for row in got) >= 2  # the generated rows hold failures too


@pytest.mark.e2e
def test_dtypes_are_those_of_the_meta_in_every_partition(client: Client) -> None:
    rows = [dict(row, text=None) for row in ROWS[:20]] + ROWS[20:60]  # the first partition fails whole
    analyzed = thumbs.dask.analyze(frame(rows, npartitions=3), text_column="text", id_column="rid", keep=["film"])
    meta = analyzed._meta.dtypes
    assert all(isinstance(kind, pd.ArrowDtype) for kind in meta)
    parts = dask.compute(*analyzed.to_delayed())
    assert parts[0]["label"].isna().all() and parts[0]["error"].notna().all()
    for part in parts:
        assert part.dtypes.equals(meta)
    assert str(meta["n_sentences"]) == "int64[pyarrow]" and str(meta["label"]) == "string[pyarrow]"


@pytest.mark.e2e
def test_the_index_is_kept_and_rows_are_numbered_without_an_id_column(client: Client) -> None:
    """Without an id column a row's id is its 1-based number in the whole frame, as one machine numbers a table's rows."""
    labels = [1000 + 3 * i for i in range(30)]
    source = frame(ROWS[:30], npartitions=4, index=labels)
    analyzed = thumbs.dask.analyze(source, text_column="text", fields=["label"]).compute()
    assert analyzed.index.tolist() == labels
    assert analyzed["id"].tolist() == [str(number) for number in range(1, 31)]


@pytest.mark.e2e
def test_fields_pick_columns_id_first(client: Client, model: Model) -> None:
    rows = ROWS[:12]
    analyzed = thumbs.dask.analyze(frame(rows, 2), "text", id_column="rid", fields=["stars", "label"], keep=["date"])
    assert list(analyzed.columns) == ["id", "label", "stars", "date"]
    expected = one_machine(model, [r["text"] for r in rows], [r["rid"] for r in rows])
    got = plain(analyzed.compute())
    assert got == [
        {"id": e["id"], "label": e["label"], "stars": e["stars"], "date": r["date"]}
        for e, r in zip(expected, rows, strict=True)
    ]


def test_bad_fields_keep_and_columns_are_refused_in_one_line() -> None:
    source = frame(ROWS[:4], 1)
    with pytest.raises(ThumbsError, match="'verdict' is not an analysis column") as caught:
        thumbs.dask.analyze(source, "text", fields=["label", "verdict"])
    one_line(caught.value)
    with pytest.raises(ThumbsError, match="'label' column already") as caught:
        thumbs.dask.analyze(frame([dict(r, label="x") for r in ROWS[:4]], 1), "text", fields=["stars"], keep=["label"])
    one_line(caught.value)
    with pytest.raises(ThumbsError, match="column 'review'") as caught:
        thumbs.dask.analyze(source, "review")
    assert "'rid'" in one_line(caught.value)
    with pytest.raises(ThumbsError, match="column 'nope'"):
        thumbs.dask.analyze(source, "text", keep=["nope"])
    with pytest.raises(ThumbsError, match="takes a Dask DataFrame") as caught:
        thumbs.dask.analyze(pd.DataFrame(ROWS[:4]).to_dict(), "text")
    one_line(caught.value)


def test_keeping_a_column_named_as_an_analysis_field_is_refused_with_all_fields() -> None:
    source = frame([dict(r, label="x") for r in ROWS[:4]], 1)
    with pytest.raises(ThumbsError, match="'label' column already"):
        thumbs.dask.analyze(source, "text", keep=["label"])


BAD_ROWS = [
    {"rid": "ok", "text": "A wonderful, moving film. The acting is superb."},
    {"rid": "none", "text": None},
    {"rid": "empty", "text": ""},
    {"rid": "blank", "text": "   "},
    {"rid": "marks", "text": "?!? ..."},
    {"rid": "ok2", "text": "Dull and far too long."},
]


@pytest.mark.e2e
def test_an_unreadable_review_gets_the_error_one_machine_gives(client: Client, model: Model) -> None:
    analyzed = plain(thumbs.dask.analyze(frame(BAD_ROWS, 3), "text", id_column="rid").compute())
    expected = one_machine(model, [r["text"] for r in BAD_ROWS], [r["rid"] for r in BAD_ROWS])
    assert analyzed == expected
    assert [row["error"] is None for row in analyzed] == [True, False, False, False, False, True]


@pytest.mark.e2e
def test_a_column_of_numbers_gets_the_error_one_machine_gives(client: Client, model: Model) -> None:
    rows = [{"rid": "a", "text": 5}, {"rid": "b", "text": 7}]
    analyzed = plain(thumbs.dask.analyze(frame(rows, 1), "text", id_column="rid").compute())
    assert analyzed == one_machine(model, [5, 7], ["a", "b"])
    assert analyzed[0]["error"] is not None and "not a string" in analyzed[0]["error"]


@pytest.mark.e2e
def test_a_number_among_texts_gets_the_error_one_machine_gives(client: Client, model: Model) -> None:
    texts: list[Any] = ["A wonderful, moving film.", 5, None, "Dull and far too long."]
    ids = ["a", "b", "c", "d"]
    with dask.config.set({"dataframe.convert-string": False}):
        source = frame([{"rid": i, "text": t} for i, t in zip(ids, texts, strict=True)], 1)
        assert str(source["text"].dtype) == "object"
        analyzed = plain(thumbs.dask.analyze(source, "text", id_column="rid").compute())
    assert analyzed == one_machine(model, texts, ids)


# --- summarize ---------------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("npartitions", [1, 11])
def test_summarize_equals_one_machine(client: Client, model: Model, npartitions: int) -> None:
    expected = [s.to_dict() for s in thumbs.summarize(ROWS, by="film", text="text", id="rid", date="date", model=model)]
    got = thumbs.dask.summarize(frame(ROWS, npartitions), by="film", id_column="rid", date_column="date")
    assert [s.to_dict() for s in got] == expected
    assert len(expected) == 5 and sum(s["reviews"] for s in expected) == len(ROWS)


@pytest.mark.e2e
def test_summarize_without_dates_equals_one_machine(client: Client, model: Model) -> None:
    rows = ROWS[:150]
    expected = [s.to_dict() for s in thumbs.summarize(rows, by="film", id="rid", model=model)]
    got = thumbs.dask.summarize(frame(rows, 9), by="film", text_column="text", id_column="rid")
    assert [s.to_dict() for s in got] == expected


# --- the model on the workers ------------------------------------------------------------------------


def _loaded() -> dict[str, Any]:
    """On a worker: its process id and the models it holds, by digest (to the object's id)."""
    return {"pid": os.getpid(), "models": {key[0]: id(model) for key, model in dask_workers._LOADED.items()}}


@pytest.mark.e2e
def test_the_model_is_loaded_once_per_worker_process(client: Client, model: Model) -> None:
    digest = model_ref(model).digest
    analyzed = thumbs.dask.analyze(frame(ROWS, 12), "text", id_column="rid")
    analyzed.compute()
    before = client.run(_loaded)
    assert len(before) == 2 and len({state["pid"] for state in before.values()}) == 2
    assert all(digest in state["models"] for state in before.values())  # both workers took tasks
    analyzed.compute()
    thumbs.dask.summarize(frame(ROWS, 12), by="film", id_column="rid")
    after = client.run(_loaded)
    for address, state in after.items():
        assert state["models"][digest] == before[address]["models"][digest]  # the same object: not loaded again
        assert list(state["models"]).count(digest) == 1


def _analyze_one(ref: Any) -> dict[str, Any]:
    """On a worker: one review analyzed with ``ref``'s model, and the file it was loaded from."""
    result = dask_workers.worker_model(ref).analyze("A wonderful, moving film. The acting is superb.", id="x")
    return {"row": result.to_row(), "file": str(dask_workers._SHIPPED.get(ref.digest)), "pid": os.getpid()}


@pytest.mark.e2e
def test_a_shipped_model_works_after_its_file_is_gone(client: Client, model_file: Callable[[str], Path]) -> None:
    path = model_file("shipped")
    ref = model_ref(path)
    assert ref.digest != model_ref(None).digest  # a model no worker has loaded yet
    expected = load_model(path).analyze("A wonderful, moving film. The acting is superb.", id="x").to_row()
    ship_model(client, ref)
    path.unlink()
    results = client.run(_analyze_one, ref)  # on every worker
    assert len(results) == 2
    for result in results.values():
        assert result["row"] == expected
        assert Path(result["file"]).name.startswith("thumbs-model-") and Path(result["file"]).is_file()


@pytest.mark.e2e
@pytest.mark.parametrize("change", ["deleted", "replaced"])
def test_a_shared_model_file_that_changed_fails_naming_the_worker_and_file(
    client: Client, model_file: Callable[[str], Path], change: str
) -> None:
    path = model_file(f"shared-{change}")
    loaded = load_model(path)
    analyzed = thumbs.dask.analyze(frame(ROWS[:8], 2), "text", id_column="rid", model=loaded, shared_model=True)
    if change == "deleted":
        path.unlink()
    else:
        model_file("other").replace(path)
    with pytest.raises(WorkerModelError) as caught:
        analyzed.compute()
    message = one_line(caught.value)
    assert "worker tcp://127.0.0.1:" in message and str(path) in message
    assert ("cannot read" in message) if change == "deleted" else ("not the file the run was started with" in message)


def test_a_model_built_in_memory_is_refused_in_one_line(model: Model) -> None:
    built = Model(model.components, model.manifest)
    assert built.path is None
    with pytest.raises(ThumbsError, match="built in memory") as caught:
        model_ref(built)
    one_line(caught.value)
    with pytest.raises(ThumbsError, match="built in memory"):
        thumbs.dask.analyze(frame(ROWS[:4], 1), "text", model=built)


@pytest.mark.e2e
def test_summarize_without_an_id_column_numbers_rows_as_one_machine(client: Client, model: Model) -> None:
    """Quotes name their reviews by row number on both paths when no id column is given."""
    expected = [s.to_dict() for s in thumbs.summarize(ROWS, by="film", text="text", model=model)]
    got = thumbs.dask.summarize(frame(ROWS, 5), by="film")
    assert [s.to_dict() for s in got] == expected
