"""`thumbs evaluate` knows what a model was trained on: it refuses, or with --allow-trained-data says so per row."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.in_process import run_in_process
from tests.helpers.table_files import write_csv
from tests.helpers.tiny_model import NEGATIVE, POSITIVE, tiny_model
from thumbs.corpora import load_corpus
from thumbs.errors import ThumbsError
from thumbs.evaluation.experiments import evaluate_corpus, evaluate_table
from thumbs.evaluation.protocols import TrainTestProtocol
from thumbs.evaluation.trained_model import evaluate_model, trained_on
from thumbs.learn.training import train_table
from thumbs.pipeline.model import load_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A table of the tiny reviews and a model trained on it (sentence models from the tiny model)."""
    folder = tmp_path_factory.mktemp("trained")
    rows = [{"text": t, "label": "pos"} for t, _ in POSITIVE] + [{"text": t, "label": "neg"} for t, _ in NEGATIVE]
    table = write_csv(folder / "train.csv", rows)
    model, _ = train_table(table, text_column="text", label_column="label", base=tiny_model())
    model.save(folder / "mine.thumbs")
    return table, folder / "mine.thumbs"


def test_a_model_is_refused_on_its_own_training_table(trained: tuple[Path, Path]) -> None:
    table, model = trained
    with pytest.raises(ThumbsError) as caught:
        evaluate_table(table, text_column="text", label_column="label", models=[str(model)], jobs=1)
    message = str(caught.value)
    assert "mine.thumbs was trained on train.csv" in message and "--allow-trained-data" in message
    assert "\n" not in message


def test_a_reordered_relabelled_copy_is_still_caught(trained: tuple[Path, Path], tmp_path: Path) -> None:
    table, model = trained
    rows = [{"id": f"x{i}", "text": t, "verdict": "1"} for i, (t, _) in enumerate(POSITIVE)]
    rows += [{"id": f"y{i}", "text": t, "verdict": "0"} for i, (t, _) in enumerate(NEGATIVE)]
    copy = write_csv(tmp_path / "copy.csv", rows[::-1])
    # the tiny base model's sentence data ("mr", "reviews") hold these very texts too: any of the names will do
    with pytest.raises(ThumbsError, match="mine.thumbs was trained on copy.csv"):
        evaluate_table(copy, text_column="text", label_column="verdict", id_column="id", models=[str(model)], jobs=1)


def test_allowed_rows_say_trained_on_this_data(trained: tuple[Path, Path]) -> None:
    table, model = trained
    report, _ = evaluate_table(
        table, text_column="text", label_column="label", models=[str(model)], jobs=1, allow_trained_data=True
    )
    (row,) = report.results
    assert row.trained_on_this_data and row.to_dict()["trained_on_this_data"] is True
    assert row.accuracy == 1.0 and "TRAINED ON" in report.notes[0]


def test_other_data_is_not_flagged(trained: tuple[Path, Path], tmp_path: Path) -> None:
    _, model = trained
    rows = [{"text": t + " Really.", "label": "pos"} for t, _ in POSITIVE]
    rows += [{"text": t + " Really.", "label": "neg"} for t, _ in NEGATIVE]
    other = write_csv(tmp_path / "other.csv", rows)
    report, _ = evaluate_table(other, text_column="text", label_column="label", models=[str(model)], jobs=1)
    assert [r.trained_on_this_data for r in report.results] == [False]
    assert report.results[0].to_dict()["trained_on_this_data"] is False


def test_the_check_runs_before_the_per_fold_recipe(trained: tuple[Path, Path], tmp_path: Path) -> None:
    """`--model default` on a rated table trains per fold (minutes on real data): the refusal comes first."""
    table, model = trained
    rated = write_csv(
        tmp_path / "rated.csv",
        [{"text": t, "label": "pos", "score": str(r)} for t, r in POSITIVE]
        + [{"text": t, "label": "neg", "score": str(r)} for t, r in NEGATIVE],
    )
    calls: list[str] = []
    with pytest.raises(ThumbsError, match="trained on rated.csv"):
        evaluate_table(
            rated,
            text_column="text",
            label_column="label",
            rating_column="score",
            models=["default", str(model)],
            jobs=1,
            progress=calls.append,
        )
    assert calls == []  # nothing was trained or scored
    assert table.exists()


def test_the_table_view_marks_the_row_and_json_carries_the_field(
    trained: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    table, model = trained
    monkeypatch.setenv("COLUMNS", "300")  # one table row a line
    refused = run_in_process("evaluate", "--data", str(table), "--model", str(model), "--jobs", "1")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "--allow-trained-data" in refused.stderr and "Traceback" not in refused.stderr
    shown = run_in_process(
        "evaluate", "--data", str(table), "--model", str(model), "--jobs", "1", "--allow-trained-data"
    )
    assert shown.returncode == 0
    (line,) = [line for line in shown.stdout.splitlines() if "mine.thumbs" in line and "│" in line]
    assert "mine.thumbs (trained on this data)" in line and "1.0000" in line
    as_json = run_in_process(
        "evaluate", "--data", str(table), "--model", str(model), "--jobs", "1", "--allow-trained-data", "--json"
    )
    (row,) = json.loads(as_json.stdout)["results"]
    assert row["trained_on_this_data"] is True and row["model"] == str(model)


def test_the_shipped_manifest_is_checked_on_the_corpora(require_corpus: Callable[[str], Path]) -> None:
    """The default model's manifest names subj and aclImdb train when given them, in order or reordered."""
    data_dir = require_corpus("subj")
    manifest = load_model().manifest
    # the shipped file records both checksums of each training set: in order (data) and the texts alone
    assert set(manifest["data"]) == set(manifest["texts"]) == {"imdb-train", "mr", "subj"}
    subj = load_corpus("subj", data_dir)
    assert trained_on(manifest, subj) == "subj"
    assert trained_on({"texts": manifest["texts"]}, subj[::-1]) == "subj"  # reordered: the texts checksum
    assert trained_on({"data": manifest["data"]}, subj[::-1]) is None  # which the ordered one alone misses
    assert trained_on(manifest, subj[:-1]) is None
    imdb = load_corpus("imdb", require_corpus("imdb"), splits=("train",))
    as_tested = [dataclasses.replace(d, split=None) for d in imdb]  # what a table export of train/ would be
    protocol = TrainTestProtocol(tuple(False for _ in as_tested), "held out")
    with pytest.raises(ThumbsError, match="the default model was trained on imdb .*'imdb-train'"):
        evaluate_model("default", "imdb", as_tested, protocol)
    with pytest.raises(ThumbsError, match="no documents to test"):  # the train split is never what is tested
        evaluate_corpus("imdb", models=["default"], documents=imdb, jobs=1)
