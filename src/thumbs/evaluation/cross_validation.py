"""Evaluation: protocols, the reproduction experiments, and their result tables.

Every evaluation prints the protocol it used. Three protocols cover the corpora:

* :class:`FoldProtocol` - given folds, e.g. Pang & Lee's ten folds of polarity v2.0;
* :class:`KFoldProtocol` - stratified k-fold with a fixed seed (mr, subj, a user's table);
* :class:`TrainTestProtocol` - train once, test once (aclImdb's official split).

Documents are tokenized once (in worker processes for large corpora); each
recipe's feature matrix is built once over all documents and, per fold,
restricted to the n-grams seen in the training part, which is exactly the
matrix a vectorizer fitted on the training part alone would produce.

For polarity v2.0 the extract rows reproduce Pang & Lee (2004): a subjectivity
classifier trained on the subj corpus scores each sentence, an extractor keeps
some sentences (minimum cut, most subjective N, first N, last N), and a
polarity classifier is trained and tested on the extracts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.model_selection import StratifiedKFold

from thumbs.corpora import Document
from thumbs.errors import ThumbsError
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.evaluation.predictions import ModelWatch, PredictionCollector
from thumbs.learn.recipes import Recipe
from thumbs.text.sentences import split_sentences

#: Seed of every shuffled k-fold split, so results repeat exactly.
SEED = 0
#: Corpora larger than this are tokenized in worker processes.
PARALLEL_TOKENIZE_MIN = 4000

ProgressCallback = Callable[[str], None]


# --- Protocols -----------------------------------------------------------------


class EvaluationProtocol(Protocol):
    """Says how to split documents into (train, test) index pairs."""

    description: str

    def splits(self, labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]: ...


@dataclass(frozen=True)
class FoldProtocol:
    """Use the folds the corpus defines (``fold`` of each document)."""

    folds: tuple[int, ...]
    description: str

    def splits(self, labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        folds = np.asarray(self.folds)
        return [(np.flatnonzero(folds != k), np.flatnonzero(folds == k)) for k in np.unique(folds)]


@dataclass(frozen=True)
class KFoldProtocol:
    """Stratified k-fold cross-validation, shuffled with a fixed seed."""

    k: int = 10
    seed: int = SEED

    @property
    def description(self) -> str:
        return f"stratified {self.k}-fold cross-validation, shuffled with seed {self.seed}"

    def splits(self, labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        if self.k < 2:
            raise ThumbsError(f"--folds must be at least 2, got {self.k}")
        smallest = min(np.unique(labels, return_counts=True)[1])
        if smallest < self.k:
            raise ThumbsError(
                f"the rarest label has {smallest} documents, fewer than {self.k} folds: pass a smaller --folds"
            )
        folds = StratifiedKFold(n_splits=self.k, shuffle=True, random_state=self.seed)
        return list(folds.split(np.zeros(len(labels)), labels))


@dataclass(frozen=True)
class TrainTestProtocol:
    """One split given by each document's ``split`` ("train" or "test")."""

    is_train: tuple[bool, ...]
    description: str

    def splits(self, labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        train = np.asarray(self.is_train)
        return [(np.flatnonzero(train), np.flatnonzero(~train))]


# --- Results -------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """One line of a result table: a model on one kind of input."""

    model: str
    input: str  # "full" or "extract"
    accuracy: float
    std: float | None
    seconds: float
    extractor: str | None = None
    words_kept: float | None = None
    fold_accuracies: tuple[float, ...] = ()
    n_documents: int = 0
    ece: float | None = None  # expected calibration error of P(positive), where the model gives one
    stars_mae: float | None = None  # mean absolute error of the stars, where the data has ratings
    stars_pearson: float | None = None

    def to_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["fold_accuracies"] = list(self.fold_accuracies)
        return row


@dataclass(frozen=True)
class EvaluationReport:
    """All rows of one evaluation, with the protocol that produced them."""

    dataset: str
    protocol: str
    results: tuple[ResultRow, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "protocol": self.protocol,
            "results": [row.to_dict() for row in self.results],
            "notes": list(self.notes),
        }


# --- Metrics ---------------------------------------------------------------------

#: Equal-width confidence bins of the expected calibration error.
ECE_BINS = 10


def expected_calibration_error(p_positive: np.ndarray, is_positive: np.ndarray, bins: int = ECE_BINS) -> float:
    """ECE (Guo et al. 2017): confidence of the predicted class against its accuracy, bin-weighted.

    >>> round(expected_calibration_error(np.array([0.9, 0.9, 0.2, 0.2]), np.array([True, False, False, False])), 3)
    0.25
    """
    p = np.asarray(p_positive, dtype=np.float64)
    truth = np.asarray(is_positive, dtype=bool)
    predicted = p > 0.5
    confidence = np.where(predicted, p, 1.0 - p)
    correct = predicted == truth
    which = np.minimum(((confidence - 0.5) * 2 * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            total += members.mean() * abs(confidence[members].mean() - correct[members].mean())
    return float(total)


def rating_errors(predicted: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Mean absolute error and Pearson r of estimated ratings."""
    predicted = np.asarray(predicted, dtype=np.float64)
    truth = np.asarray(truth, dtype=np.float64)
    mae = float(np.mean(np.abs(predicted - truth)))
    r = float(np.corrcoef(predicted, truth)[0, 1]) if predicted.std() > 0 and truth.std() > 0 else 0.0
    return mae, r


# --- Tokenizing once ------------------------------------------------------------


def _sentence_tokens(text: str) -> list[tuple[str, ...]]:
    return [sentence.tokens for sentence in split_sentences(text)]


def tokenize_documents(texts: Sequence[str], jobs: int = 1) -> list[list[tuple[str, ...]]]:
    """Split each text into sentences of tokens, in worker processes for large inputs."""
    if jobs > 1 and len(texts) >= PARALLEL_TOKENIZE_MIN:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(_sentence_tokens, texts, chunksize=256))
    return [_sentence_tokens(text) for text in texts]


def flatten(sentences: Sequence[Sequence[str]]) -> list[str]:
    """The tokens of a document's sentences, in order."""
    return [token for sentence in sentences for token in sentence]


# --- Running models ---------------------------------------------------------------


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


def feature_matrix(recipe: Recipe, documents: Sequence[Sequence[str]], train: np.ndarray | None = None) -> sp.csr_matrix:
    """All documents' features; the vocabulary comes from ``train`` rows if given."""
    return fitted_features(recipe, documents, train)[1]


def summarize(
    model: str, accuracies: Sequence[float], seconds: float, n_documents: int, **extra: Any
) -> ResultRow:
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


def labels_of(documents: Sequence[Document]) -> np.ndarray:
    """The documents' labels as an array, refusing unlabelled documents."""
    labels = [document.label for document in documents]
    if any(label is None for label in labels):
        raise ThumbsError("some documents have no label: evaluation needs a label for every document")
    if len(set(labels)) < 2:
        raise ThumbsError("evaluation needs at least two different labels")
    return np.asarray(labels)
