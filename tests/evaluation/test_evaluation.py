"""Evaluation protocols, result rows, subjective extracts, and `thumbs evaluate` on a user's table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.helpers.cli import run_thumbs
from tests.helpers.table_files import write_csv
from thumbs.errors import ThumbsError
from thumbs.evaluation.cross_validation import cross_validate, feature_matrix
from thumbs.evaluation.experiments import evaluate_table
from thumbs.evaluation.extracts import BASELINES, apply_masks, evaluate_extracts, sentence_probabilities
from thumbs.evaluation.protocols import FoldProtocol, KFoldProtocol, TrainTestProtocol
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.learn.recipes import RECIPES, get_recipe
from thumbs.learn.subjectivity import SubjectivityClassifier
from thumbs.text.documents import tokenize_documents

POSITIVE = [
    "A warm and wonderful film. The acting is superb and the score is lovely.",
    "I loved every minute. Brilliant direction, a moving story and great performances.",
    "Delightful from start to finish; the cast is charming and the script is sharp.",
    "An excellent, beautiful picture. The best thing I have seen this year.",
    "Funny, touching and smart. A superb cast makes it a joy to watch.",
    "Great fun. The lead is wonderful and the ending is moving.",
]
NEGATIVE = [
    "A dull and tedious film. The acting is wooden and the score is grating.",
    "I hated every minute. Awful direction, a boring story and terrible performances.",
    "Tiresome from start to finish; the cast is bland and the script is lazy.",
    "A dreadful, ugly picture. The worst thing I have seen this year.",
    "Unfunny, cold and stupid. A weak cast makes it a chore to watch.",
    "Boring mess. The lead is awful and the ending is pointless.",
]
MIXED = [
    "Some good scenes, some dull ones; an average film overall.",
    "Parts are fine and parts are boring. It is an ordinary picture.",
    "Neither great nor terrible: a middling film with a decent cast.",
    "It has its moments, but it is uneven and only okay.",
    "A so-so story with fair acting. Watchable, nothing more.",
    "Mediocre but harmless; a passable way to spend an evening.",
]


def labelled_rows(copies: int = 3) -> list[dict[str, str]]:
    rows = []
    for copy in range(copies):
        for band, texts in (("high", POSITIVE), ("low", NEGATIVE), ("middle", MIXED)):
            rows += [{"review": f"{text} (take {copy})", "band": band} for text in texts]
    return rows


# --- protocols ---------------------------------------------------------------------


def test_fold_protocol_uses_the_given_folds() -> None:
    protocol = FoldProtocol((0, 0, 1, 1, 2, 2), "three folds")
    splits = protocol.splits(np.array(list("abababab"[:6])))
    assert [test.tolist() for _, test in splits] == [[0, 1], [2, 3], [4, 5]]
    for train, test in splits:
        assert set(train).isdisjoint(test) and len(train) + len(test) == 6


def test_kfold_is_stratified_and_repeatable() -> None:
    labels = np.array(["a"] * 20 + ["b"] * 10)
    first = KFoldProtocol(k=5).splits(labels)
    again = KFoldProtocol(k=5).splits(labels)
    assert all((a[1] == b[1]).all() for a, b in zip(first, again, strict=True))
    for _, test in first:
        assert sorted(labels[test].tolist()) == ["a"] * 4 + ["b"] * 2
    assert "seed 0" in KFoldProtocol(k=5).description


def test_kfold_refuses_more_folds_than_the_rarest_label() -> None:
    with pytest.raises(ThumbsError, match="fewer than 10 folds"):
        KFoldProtocol(k=10).splits(np.array(["a"] * 20 + ["b"] * 3))


def test_train_test_protocol() -> None:
    ((train, test),) = TrainTestProtocol((True, False, True), "split").splits(np.array(["a", "b", "a"]))
    assert train.tolist() == [0, 2] and test.tolist() == [1]


def test_restricting_to_training_vocabulary_equals_fitting_per_fold() -> None:
    texts = POSITIVE + NEGATIVE
    labels = np.array(["positive"] * 6 + ["negative"] * 6)
    tokens = [[t for s in doc for t in s] for doc in tokenize_documents(texts)]
    recipe = get_recipe("nb")
    splits = KFoldProtocol(k=3).splits(labels)
    fast = cross_validate(recipe, feature_matrix(recipe, tokens), labels, splits)
    slow = []
    for train, test in splits:
        vectorizer = NgramVectorizer()
        model = recipe.make_estimator().fit(vectorizer.fit_transform([tokens[i] for i in train]), labels[train])
        predicted = model.predict(vectorizer.transform([tokens[i] for i in test]))
        slow.append(float(np.mean(predicted == labels[test])))
    assert fast == slow


def test_unknown_model_names_the_choices() -> None:
    with pytest.raises(ThumbsError, match="choose one of nb, svm"):
        get_recipe("bert")
    assert set(RECIPES) >= {"nb", "svm", "nbsvm", "nbsvm-uni", "nbsvm-tri"}


# --- extracts ----------------------------------------------------------------------


def test_apply_masks_counts_words_kept() -> None:
    documents = [[("a", "b"), ("c",)], [("d", "e", "f")]]
    extracts, kept = apply_masks(documents, [np.array([True, False]), np.array([False])])
    assert extracts == [["a", "b"], []]
    assert kept == pytest.approx(2 / 6)


def test_extract_rows_on_tiny_reviews() -> None:
    opinion = [" ".join(doc) for doc in [["i", "loved", "it"], ["what", "a", "dull", "mess"]]] + POSITIVE + NEGATIVE
    plot = ["he moves to paris", "she meets her father", "they travel north", "the war begins"] * 4
    classifier = SubjectivityClassifier().fit(opinion + plot, ["subjective"] * len(opinion) + ["objective"] * len(plot))
    reviews = [f"He moves to Paris. {p} She meets her father." for p in POSITIVE + NEGATIVE]
    documents = tokenize_documents(reviews)
    labels = np.array(["positive"] * 6 + ["negative"] * 6)
    probabilities = sentence_probabilities(classifier, documents)
    assert [len(p) for p in probabilities] == [len(d) for d in documents]
    rows, notes = evaluate_extracts(
        get_recipe("nb"), documents, labels, KFoldProtocol(k=3).splits(labels), probabilities
    )
    assert [row.extractor for row in rows] == ["mincut", *BASELINES]
    for row in rows:
        assert row.input == "extract" and 0 < row.words_kept <= 1 and 0 <= row.accuracy <= 1
        assert len(row.fold_accuracies) == 3
    assert "chosen per fold" in notes[0]


# --- a user's own table -----------------------------------------------------------


def test_evaluate_table_multiclass_and_reports_skipped_rows(tmp_path: Path) -> None:
    rows = labelled_rows()
    rows.append({"review": "", "band": "high"})
    rows.append({"review": "A film with no band given.", "band": ""})
    path = write_csv(tmp_path / "reviews.csv", rows)
    report, skipped = evaluate_table(
        path, text_column="review", label_column="band", models=["nb", "nbsvm"], folds=3, jobs=1
    )
    assert len(skipped) == 2 and all("skipped" in line for line in skipped)
    assert [row.model for row in report.results] == ["nb", "nbsvm"]
    for row in report.results:
        assert row.n_documents == len(rows) - 2 and len(row.fold_accuracies) == 3
        assert row.accuracy > 1 / 3  # better than chance on three well-separated bands
    assert "3-fold" in report.protocol


@pytest.mark.e2e
def test_cli_evaluate_json_on_a_table(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "reviews.csv", labelled_rows())
    result = run_thumbs(
        "evaluate",
        "--data",
        str(path),
        "--text-column",
        "review",
        "--label-column",
        "band",
        "--folds",
        "3",
        "--model",
        "nb",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    (row,) = report["results"]
    assert {"model", "input", "accuracy", "std", "words_kept", "seconds"} <= set(row)
    assert row["model"] == "nb" and row["input"] == "full" and 0 <= row["accuracy"] <= 1


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "{csv}", "--text-column", "body", "--label-column", "band"], "body"),
        (["--data", "{missing}", "--text-column", "review", "--label-column", "band"], "missing.csv"),
        ([], "exactly one of --dataset"),
        (["--dataset", "netflix"], "unknown dataset"),
        (["--data", "{csv}", "--text-column", "review", "--label-column", "band", "--model", "bert"], "bert"),
    ],
)
def test_cli_evaluate_user_errors_are_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    path = write_csv(tmp_path / "reviews.csv", labelled_rows(1))
    filled = [a.format(csv=path, missing=tmp_path / "missing.csv") for a in args]
    result = run_thumbs("evaluate", *filled)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0]
