"""Per-document predictions kept from an evaluation, for reports and benchmarks.

An evaluation (:mod:`thumbs.evaluation.cross_validation`, :mod:`thumbs.evaluation.trained_model`) only
needs each fold's accuracy, so by default it keeps nothing else. Pass a
:class:`PredictionCollector` and it also records, for every model and every
test split, what the plots of ``thumbs evaluate --report`` and
``benchmarks/peers.py`` are drawn from: the true and predicted labels, the
decision value and probability of the second class (binary data), the stars
and true ratings where both exist, and the n-grams that weigh most for each
class. With ``on_predictor`` it also hands over, once per model, a function
that labels raw texts with the last fold's fitted model, so a benchmark can
time it on texts of its choosing.

Example
-------
>>> collector = PredictionCollector()
>>> collector.add(FoldPredictions("m", ("negative", "positive"), np.array(["positive"]), np.array(["positive"])))
>>> collector.models(), collector.of("m")[0].fold
(['m'], 0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

#: n-grams kept per class and fold (the report shows fewer, averaged over folds).
TOP_NGRAMS = 30

#: A fitted model's label function over raw texts.
Predictor = Callable[[Sequence[str]], Sequence[str]]
#: Receives (model name, predictor) once per model, after its last fold.
PredictorCallback = Callable[[str, Predictor], None]


@dataclass(frozen=True)
class FoldPredictions:
    """One model's predictions on one test split.

    ``classes`` are sorted; ``score`` (decision value) and ``probability`` are
    for ``classes[1]`` ("positive", "subjective") and exist for two classes
    only. ``ngrams`` maps each class to its strongest n-grams with their
    weight toward that class (largest first).
    """

    model: str
    classes: tuple[str, ...]
    truth: NDArray[Any]
    predicted: NDArray[Any]
    score: NDArray[np.float64] | None = None
    probability: NDArray[np.float64] | None = None
    stars: NDArray[np.float64] | None = None
    ratings: NDArray[np.float64] | None = None
    ngrams: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    fold: int = 0

    @property
    def is_binary(self) -> bool:
        return len(self.classes) == 2

    @property
    def is_second_class(self) -> NDArray[np.bool_]:
        """Whether each document truly belongs to ``classes[1]`` (binary data)."""
        return np.asarray(self.truth) == self.classes[-1]


class PredictionCollector:
    """Collects :class:`FoldPredictions` from an evaluation; optionally receives each model's predictor."""

    def __init__(self, on_predictor: PredictorCallback | None = None, top_ngrams: int = TOP_NGRAMS) -> None:
        self.folds: list[FoldPredictions] = []
        self.on_predictor = on_predictor
        self.top_ngrams = top_ngrams

    def add(self, predictions: FoldPredictions) -> None:
        """Keep one split's predictions; its ``fold`` is its position among the model's splits."""
        self.folds.append(replace(predictions, fold=len(self.of(predictions.model))))

    def of(self, model: str) -> list[FoldPredictions]:
        """Every split of ``model``, in order."""
        return [f for f in self.folds if f.model == model]

    def models(self) -> list[str]:
        """The models seen, in order of first appearance."""
        return list(dict.fromkeys(f.model for f in self.folds))

    def predictor(self, model: str, predict: Predictor) -> None:
        """Hand ``model``'s label function to ``on_predictor``, if there is one."""
        if self.on_predictor is not None:
            self.on_predictor(model, predict)

    def for_model(self, model: str, vectorizer: Any | None = None) -> ModelWatch:
        """What one model's cross-validation reports to (``vectorizer``: its fitted features, if any)."""
        return ModelWatch(self, model, vectorizer)


def top_ngrams(
    coef: NDArray[np.float64], classes: Sequence[str], names: Callable[[NDArray[np.int64]], Sequence[str]], k: int
) -> dict[str, tuple[tuple[str, float], ...]]:
    """The ``k`` strongest features of each class from a linear model's ``coef_``.

    Two classes: one weight row, positive toward ``classes[1]``, negative toward
    ``classes[0]``. More classes: one one-vs-rest row per class.
    """
    coef = np.atleast_2d(np.asarray(coef, dtype=np.float64))
    rows = [(classes[1], coef[0]), (classes[0], -coef[0])] if len(classes) == 2 else list(zip(classes, coef))
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    for label, weights in rows:
        k_here = min(k, len(weights))
        if k_here == 0:
            out[str(label)] = ()
            continue
        best = np.argpartition(-weights, k_here - 1)[:k_here]
        best = best[np.argsort(-weights[best], kind="stable")]
        best = best[weights[best] > 0]
        out[str(label)] = tuple((str(n), float(w)) for n, w in zip(names(best), weights[best]))
    return out


class RecipePredictor:
    """Labels raw texts with a fold's fitted estimator over the recipe's features (the training columns only)."""

    def __init__(self, vectorizer: Any, columns: NDArray[np.int64], estimator: Any) -> None:
        self.vectorizer = vectorizer
        self.columns = columns
        self.estimator = estimator

    def __call__(self, texts: Sequence[str]) -> Sequence[str]:
        return list(self.estimator.predict(self.vectorizer.transform(list(texts))[:, self.columns]))


class ModelWatch:
    """Turns one model's fitted folds into :class:`FoldPredictions` for a :class:`PredictionCollector`."""

    def __init__(self, collector: PredictionCollector, model: str, vectorizer: Any | None) -> None:
        self.collector = collector
        self.model = model
        self.vectorizer = vectorizer
        self._last: tuple[NDArray[np.int64], Any] | None = None

    @cached_property
    def _feature_names(self) -> NDArray[Any]:
        assert self.vectorizer is not None, "feature names are asked for only when there is a vectorizer"
        return np.asarray(self.vectorizer.get_feature_names_out())

    def fold(
        self,
        estimator: Any | None,
        columns: NDArray[np.int64],
        X_test: sp.csr_matrix,
        truth: NDArray[Any],
        predicted: NDArray[Any],
        classes: Sequence[str],
    ) -> None:
        """Record one split; ``estimator`` is None where only the majority label could be predicted."""
        classes = tuple(str(c) for c in (estimator.classes_ if estimator is not None else classes))
        score = probability = None
        ngrams: dict[str, tuple[tuple[str, float], ...]] = {}
        if estimator is not None:
            if len(classes) == 2:
                score = np.asarray(estimator.decision_function(X_test), dtype=np.float64).ravel()
                if hasattr(estimator, "predict_proba"):
                    probability = np.asarray(estimator.predict_proba(X_test), dtype=np.float64)[:, 1]
            if self.vectorizer is not None and hasattr(estimator, "coef_"):
                names = self._feature_names
                ngrams = top_ngrams(
                    estimator.coef_,
                    classes,
                    lambda idx: [str(name) for name in names[columns[idx]]],
                    self.collector.top_ngrams,
                )
            self._last = (columns, estimator)
        self.collector.add(
            FoldPredictions(
                self.model, classes, np.asarray(truth), np.asarray(predicted), score, probability, ngrams=ngrams
            )
        )

    def finish(self) -> None:
        """After the last split: hand its fitted model, as a label function over raw texts, to the collector."""
        if self._last is not None and self.vectorizer is not None:
            columns, estimator = self._last
            self.collector.predictor(self.model, RecipePredictor(self.vectorizer, columns, estimator))
        self._last = None
