"""Cross-validation: recipes trained and tested split by split on features built once.

Each recipe's feature matrix is built once over all documents and, per split,
restricted to the n-grams seen in the training part, which is exactly the
matrix a vectorizer fitted on the training part alone would produce. The
splits come from a protocol (:mod:`thumbs.evaluation.protocols`), the rows go
into result tables (:mod:`thumbs.evaluation.results`); documents are tokenized
once beforehand (:mod:`thumbs.text.documents`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from thumbs.corpora import Document
from thumbs.errors import ThumbsError
from thumbs.evaluation.metrics import expected_calibration_error
from thumbs.evaluation.predictions import FoldPredictions, ModelWatch, PredictionCollector, top_ngrams
from thumbs.evaluation.protocols import EvaluationProtocol, TrainTestProtocol
from thumbs.evaluation.results import ResultRow
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.learn.recipes import Recipe
from thumbs.pipeline.scorers import LinearScorer

#: Reports what an evaluation is doing, one line at a time.
ProgressCallback = Callable[[str], None]
#: Trains a saved-form model from token lists and whether each is of the second class.
ScorerTrainer = Callable[[Sequence[Sequence[str]], np.ndarray], LinearScorer]


def _restrict_to_training_vocabulary(
    matrix: sp.csr_matrix, train: np.ndarray, test: np.ndarray
) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Training and test rows, keeping only the columns seen in training (also returned)."""
    X_train = matrix[train]
    seen = np.flatnonzero(X_train.getnnz(axis=0) > 0)
    return X_train[:, seen], matrix[test][:, seen], seen


def cross_validate(
    recipe: Recipe,
    matrix: sp.csr_matrix,
    labels: np.ndarray,
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
    watch: ModelWatch | None = None,
) -> list[float]:
    """Accuracy of ``recipe``'s estimator on each (train, test) split of ``matrix``.

    With ``watch`` (from :meth:`PredictionCollector.for_model`), each split's
    per-document predictions are recorded too.
    """
    accuracies = []
    for train, test in splits:
        X_train, X_test, seen = _restrict_to_training_vocabulary(matrix, train, test)
        estimator = None
        if X_train.shape[1] == 0:  # e.g. extracts that kept no word: only the prior is left
            values, counts = np.unique(labels[train], return_counts=True)
            predicted = np.full(len(test), values[np.argmax(counts)])
        else:
            estimator = recipe.make_estimator().fit(X_train, labels[train])
            predicted = estimator.predict(X_test)
        accuracies.append(float(np.mean(predicted == labels[test])))
        if watch is not None:
            watch.fold(estimator, seen, X_test, labels[test], predicted, sorted(set(labels.tolist())))
    return accuracies


def fitted_features(
    recipe: Recipe, documents: Sequence[Sequence[str]], train: np.ndarray | None = None
) -> tuple[NgramVectorizer, sp.csr_matrix]:
    """The fitted vectorizer and all documents' features; the vocabulary comes from ``train`` rows if given."""
    vectorizer = recipe.make_vectorizer()
    if train is None:
        return vectorizer, vectorizer.fit_transform(documents)
    vectorizer.fit([documents[i] for i in train])
    return vectorizer, vectorizer.transform(documents)


def feature_matrix(
    recipe: Recipe, documents: Sequence[Sequence[str]], train: np.ndarray | None = None
) -> sp.csr_matrix:
    """All documents' features; the vocabulary comes from ``train`` rows if given."""
    return fitted_features(recipe, documents, train)[1]


def summarize(model: str, accuracies: Sequence[float], seconds: float, n_documents: int, **extra: Any) -> ResultRow:
    """A result row from per-split accuracies (``std`` only when there are folds)."""
    return ResultRow(
        model=model,
        accuracy=float(np.mean(accuracies)),
        std=float(np.std(accuracies)) if len(accuracies) > 1 else None,
        seconds=round(seconds, 2),
        fold_accuracies=tuple(round(a, 4) for a in accuracies),
        n_documents=n_documents,
        **{"input": "full", **extra},
    )


def evaluate_full(
    recipes: Sequence[Recipe],
    documents: Sequence[Sequence[str]],
    labels: np.ndarray,
    protocol: EvaluationProtocol,
    progress: ProgressCallback | None = None,
    collector: PredictionCollector | None = None,
) -> list[ResultRow]:
    """Rows for each recipe trained and tested on whole documents (predictions kept in ``collector``)."""
    splits = protocol.splits(labels)
    train_only = splits[0][0] if isinstance(protocol, TrainTestProtocol) else None
    rows = []
    for recipe in recipes:
        if progress:
            progress(f"{recipe.name}: features and {len(splits)} split(s)")
        start = time.perf_counter()
        vectorizer, matrix = fitted_features(recipe, documents, train_only)
        watch = collector.for_model(recipe.name, vectorizer) if collector is not None else None
        accuracies = cross_validate(recipe, matrix, labels, splits, watch)
        seconds = time.perf_counter() - start
        if watch is not None:
            watch.finish()
        rows.append(summarize(recipe.name, accuracies, seconds, len(documents)))
    return rows


def cross_validate_scorer(
    name: str,
    train: ScorerTrainer,
    documents: Sequence[Sequence[str]],
    labels: np.ndarray,
    protocol: EvaluationProtocol,
    collector: PredictionCollector | None = None,
) -> ResultRow:
    """A row for a trainer of :class:`~thumbs.pipeline.scorers.LinearScorer`, trained and tested split by split.

    Each split trains ``train`` on the training documents alone (whatever it chooses, it
    chooses there) and tests the scorer it returns, as a model file would hold it: a test
    document is positive (``labels``' second value, sorted) when its score is above 0. The row's
    ``ece`` is that of the scorer's probability. ``collector`` gets each split's predictions and
    strongest n-grams, and the last split's scorer as a label function.
    """
    classes = tuple(str(c) for c in np.unique(labels))
    if len(classes) != 2:
        raise ThumbsError(f"{name} is trained on two labels; found {len(classes)}: {', '.join(classes)}")
    as_label = np.array(classes)
    start = time.perf_counter()
    accuracies: list[float] = []
    errors: list[float] = []
    scorer: LinearScorer | None = None
    for train_rows, test_rows in protocol.splits(labels):
        is_second = labels[train_rows] == classes[1]
        scorer = train([documents[i] for i in train_rows], is_second)
        scores = scorer.scores([documents[i] for i in test_rows])
        probability = np.asarray(scorer.probability(scores), dtype=np.float64)
        truth = labels[test_rows] == classes[1]
        accuracies.append(float(np.mean((scores > 0) == truth)))
        errors.append(expected_calibration_error(probability, truth))
        if collector is not None:
            collector.add(
                FoldPredictions(
                    name,
                    classes,
                    labels[test_rows],
                    as_label[(scores > 0).astype(int)],
                    scores,
                    probability,
                    ngrams=top_ngrams(scorer.coef, classes, scorer.index.feature_names, collector.top_ngrams),
                )
            )
    if collector is not None and scorer is not None:
        last = scorer
        collector.predictor(name, lambda texts: list(as_label[(last.scores(list(texts)) > 0).astype(int)]))
    return summarize(name, accuracies, time.perf_counter() - start, len(documents), ece=float(np.mean(errors)))


def labels_of(documents: Sequence[Document]) -> np.ndarray:
    """The documents' labels as an array, refusing unlabelled documents."""
    labels = [document.label for document in documents]
    if any(label is None for label in labels):
        raise ThumbsError("some documents have no label: evaluation needs a label for every document")
    if len(set(labels)) < 2:
        raise ThumbsError("evaluation needs at least two different labels")
    return np.asarray(labels)
