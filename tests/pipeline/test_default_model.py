"""The shipped default model: its file, what it was trained on, and the reference review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.cli import run_thumbs
from thumbs.corpora import load_corpus
from thumbs.learn.training import documents_sha256
from thumbs.pipeline.model import default_model_path, load_model

#: The reference review: an IMDb user review of "The Cranes Are Flying", rated 9/10.
REFERENCE_ID = "test/pos/196_9"


def test_shipped_file_is_small_and_describes_itself() -> None:
    path = default_model_path()
    assert path.stat().st_size <= 25 * 1024 * 1024
    model = load_model()
    manifest = model.manifest
    assert manifest["recipe"] == "default" and manifest["format"] == "thumbs-model"
    assert set(manifest["data"]) == {"imdb-train", "subj", "mr"}
    assert manifest["metrics"]["imdb-test"]["accuracy"] >= 0.915
    assert manifest["metrics"]["polarity"]["accuracy"] >= 0.90
    assert manifest["metrics"]["imdb-test"]["stars_mae"] <= 1.35


@pytest.mark.data
def test_trained_on_aclimdb_train_only(require_corpus: Callable[[str], Path]) -> None:
    data = require_corpus("imdb")
    manifest = load_model().manifest
    assert manifest["data"]["imdb-train"] == documents_sha256(load_corpus("imdb", data, splits=("train",)))
    assert manifest["data"]["subj"] == documents_sha256(load_corpus("subj", require_corpus("subj")))
    assert manifest["data"]["mr"] == documents_sha256(load_corpus("mr", require_corpus("mr")))


@pytest.mark.data
def test_reference_review_in_both_forms(require_corpus: Callable[[str], Path], reference_review: Path) -> None:
    data = require_corpus("imdb")
    raw = next(d.text for d in load_corpus("imdb", data, splits=("test",)) if d.id == REFERENCE_ID)
    tokenized = reference_review.read_text(encoding="utf-8")
    model = load_model()
    a, b = model.analyze(raw), model.analyze(tokenized)
    assert a.label == b.label == "positive"
    assert a.stars == b.stars and a.stars >= 7
    assert [s.in_extract for s in a.sentences] == [s.in_extract for s in b.sentences]
    assert [s.subjectivity for s in a.sentences] == [s.subjectivity for s in b.sentences]
    assert any(s.in_extract for s in a.sentences) and not all(s.in_extract for s in a.sentences)


@pytest.mark.e2e
@pytest.mark.data
def test_ratings_are_a_target_on_a_users_table(require_corpus: Callable[[str], Path], tmp_path: Path) -> None:
    """`thumbs evaluate --data ... --rating-column`: the default recipe's stars, k-fold, on the table's ratings."""
    import csv
    import json

    documents = load_corpus("imdb", require_corpus("imdb"), splits=("train",))[::25]  # 1,000 rated reviews
    table = tmp_path / "rated.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review", "verdict", "score"])
        writer.writerows([d.text, d.label, d.rating] for d in documents)
    done = run_thumbs(
        "evaluate", "--data", table, "--text-column", "review", "--label-column", "verdict",
        "--rating-column", "score", "--folds", "3", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)["results"]
    assert row["model"] == "default" and len(row["fold_accuracies"]) == 3
    assert row["accuracy"] > 0.75 and 0 < row["stars_mae"] < 2.5 and row["stars_pearson"] > 0.6
