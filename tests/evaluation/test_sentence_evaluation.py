"""``thumbs evaluate --dataset mr|subj --model default``: the sentence models' training functions, fold by fold."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tests.helpers.sentences import BAD, GOOD, OPINION, PLOT
from thumbs.corpora import Document
from thumbs.errors import DataNotFoundError, ThumbsError
from thumbs.evaluation.cross_validation import cross_validate_scorer
from thumbs.evaluation.predictions import PredictionCollector, Predictor
from thumbs.evaluation.protocols import KFoldProtocol
from thumbs.evaluation.trained_model import SENTENCE_RECIPES, evaluate_model, sentence_trainer
from thumbs.learn.sentence_models import train_subjectivity
from thumbs.pipeline.scorers import LinearScorer

SUBJ_LABELS = np.array(["subjective"] * len(OPINION) + ["objective"] * len(PLOT))


def _documents(sentences: list[list[str]], labels: np.ndarray) -> list[Document]:
    return [
        Document(id=str(i), text=" ".join(s), label=str(label)) for i, (s, label) in enumerate(zip(sentences, labels))
    ]


def test_each_fold_trains_on_its_training_part_only_and_tests_the_scorer() -> None:
    seen: list[int] = []

    def train(sentences: Sequence[Sequence[str]], flags: np.ndarray) -> LinearScorer:
        seen.append(len(flags))
        return train_subjectivity(sentences, flags)

    row = cross_validate_scorer("subjectivity", train, OPINION + PLOT, SUBJ_LABELS, KFoldProtocol(k=3))
    assert seen == [32, 32, 32]  # two thirds of 48 sentences each time
    assert len(row.fold_accuracies) == 3 and row.accuracy == pytest.approx(np.mean(row.fold_accuracies))
    assert row.accuracy >= 0.9  # the written opinion and plot sentences share no content word
    assert row.ece is not None and 0.0 <= row.ece <= 1.0
    assert row.n_documents == 48 and row.model == "subjectivity"


def test_the_collector_gets_each_fold_and_the_last_scorer_as_a_label_function() -> None:
    predictors: dict[str, Predictor] = {}
    collector = PredictionCollector(on_predictor=lambda name, predict: predictors.__setitem__(name, predict))
    cross_validate_scorer("subj", train_subjectivity, OPINION + PLOT, SUBJ_LABELS, KFoldProtocol(k=3), collector)
    folds = collector.of("subj")
    assert len(folds) == 3 and all(f.classes == ("objective", "subjective") for f in folds)
    assert all(f.score is not None and f.probability is not None and len(f.truth) == 16 for f in folds)
    assert all(f.ngrams["subjective"] and f.ngrams["objective"] for f in folds)
    assert list(predictors["subj"](["I loved this wonderful film.", "She moves to a farm."])) == [
        "subjective",
        "objective",
    ]


def test_a_scorer_is_cross_validated_on_two_labels_only() -> None:
    labels = np.array(["a", "b", "c"] * 16)
    with pytest.raises(ThumbsError, match="two labels"):
        cross_validate_scorer("x", train_subjectivity, OPINION + PLOT, labels, KFoldProtocol(k=3))


def test_evaluate_default_on_subj_cross_validates_the_subjectivity_recipe() -> None:
    documents = _documents(OPINION + PLOT, SUBJ_LABELS)
    row, note = evaluate_model("default", "subj", documents, KFoldProtocol(k=3))
    assert row.model == "default" and row.accuracy >= 0.9 and len(row.fold_accuracies) == 3
    assert SENTENCE_RECIPES["subj"] in note and "fold by fold" in note


def test_evaluate_default_on_mr_reads_acl_imdb_train_for_its_prior(fake_root: Path, tmp_path: Path) -> None:
    labels = np.array(["positive"] * len(GOOD) + ["negative"] * len(BAD))
    documents = _documents(GOOD + BAD, labels)
    row, note = evaluate_model("default", "mr", documents, KFoldProtocol(k=3), data_dir=fake_root)
    assert row.accuracy >= 0.9 and len(row.fold_accuracies) == 3
    assert SENTENCE_RECIPES["mr"] in note and "aclImdb train" in note
    with pytest.raises(DataNotFoundError):  # no aclImdb there: the prior cannot be learned
        evaluate_model("default", "mr", documents, KFoldProtocol(k=3), data_dir=tmp_path)


def test_only_mr_and_subj_train_a_sentence_model() -> None:
    assert set(SENTENCE_RECIPES) == {"mr", "subj"}
    assert sentence_trainer("subj") is train_subjectivity
    with pytest.raises(ThumbsError, match="no sentence model"):
        sentence_trainer("polarity")
