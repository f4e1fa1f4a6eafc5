"""Linear scorers over n-gram presence: the saved form of every model a :class:`~thumbs.pipeline.model.Model` runs.

A :class:`LinearScorer` is an :class:`~thumbs.features.index.NgramIndex` plus one
weight per feature, an intercept, and a calibration slope; :class:`StarWeights`
is a fitted :class:`~thumbs.learn.stars.StarRegressor` over the verdict's
features. Both turn into plain arrays for :mod:`thumbs.pipeline.model_file`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thumbs.features.index import DOCUMENT_SEPARATOR, NgramIndex
from thumbs.features.int_sets import distinct


def sigmoid(x: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """``1 / (1 + e^-x)`` of each value, with the C library's ``exp``: scipy's ``expit`` to the bit.

    The models were calibrated with scipy's ``expit``; NumPy's vectorized ``exp`` differs from
    it in the last bit for about 2% of values, and importing scipy.special takes longer than
    the rest of the analysis path together. Python's ``math.exp`` is the C library's, so this
    gives exactly ``expit``'s numbers (tests/pipeline/test_scorers.py checks) at about 0.3 µs a
    value: a review's verdict and its sentences' probabilities, never a word's.

    >>> sigmoid(np.array([-800.0, 0.0, 2.0])).tolist()
    [0.0, 0.5, 0.8807970779778823]
    """
    values = np.asarray(x, dtype=np.float64)
    flat = np.fromiter(map(_sigmoid_of, values.ravel().tolist()), dtype=np.float64, count=values.size)
    return flat.reshape(values.shape)


def _sigmoid_of(value: float) -> float:
    try:
        return 1.0 / (1.0 + math.exp(-value))
    except OverflowError:  # e^-x past the largest double (x < -709.78): 1 / (1 + inf), as in C
        return 0.0


@dataclass
class LinearScorer:
    """``score = sum of coef over the n-grams present + intercept``, and ``P = sigmoid(a * score + b)``."""

    index: NgramIndex
    coef: NDArray[np.float64]
    intercept: float
    calibration: tuple[float, float] = (1.0, 0.0)

    def total(self, rows: NDArray[np.int64], columns: NDArray[np.int64], n_rows: int) -> NDArray[np.float64]:
        """Decision values of ``n_rows`` rows from their distinct features present, as ``(rows, columns)`` pairs."""
        return np.asarray(
            np.bincount(rows, weights=self.coef[columns], minlength=n_rows) + self.intercept, dtype=np.float64
        )

    def scores(self, documents: Sequence[Sequence[str]] | Sequence[str]) -> NDArray[np.float64]:
        """Decision values of token lists (or texts), one per document."""
        if len(documents) == 0:
            return np.zeros(0)
        rows, columns = self.index.present(documents)
        return self.total(rows, columns, len(documents))

    def sentence_scores(self, sentences: Sequence[Sequence[str]]) -> NDArray[np.float64]:
        """Decision values of one review's sentences (token lists), without building a matrix."""
        stream = [token for sentence in sentences for token in (*sentence, DOCUMENT_SEPARATOR)]
        columns, starts = self.index.occurrences(stream)
        row_of = np.searchsorted(np.cumsum([len(s) + 1 for s in sentences]), starts, side="right")
        present = distinct(row_of * self.index.n_features + columns)  # presence: once per sentence
        rows, features = np.divmod(present, self.index.n_features)
        return self.total(rows, features, len(sentences))

    def probability(self, scores: NDArray[np.float64] | float) -> Any:
        a, b = self.calibration
        return sigmoid(a * np.asarray(scores) + b)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays for a model file: the index's, ``coef`` (float32) and ``scalars`` (intercept, a, b)."""
        arrays = dict(self.index.to_arrays())
        arrays["coef"] = self.coef.astype(np.float32)
        arrays["scalars"] = np.array([self.intercept, *self.calibration], dtype=np.float64)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LinearScorer:
        """Rebuild a scorer saved by :meth:`to_arrays`."""
        intercept, a, b = (float(v) for v in arrays["scalars"])
        return cls(NgramIndex.from_arrays(arrays), arrays["coef"].astype(np.float64), intercept, (a, b))


@dataclass
class StarWeights:
    """The saved form of a fitted :class:`~thumbs.learn.stars.StarRegressor` over the verdict's features."""

    coef: NDArray[np.float64]  # (2, n_features): negative camp, positive camp
    intercept: NDArray[np.float64]  # (2,)
    range: NDArray[np.float64]  # (2, 2)

    def predict(
        self, rows: NDArray[np.int64], columns: NDArray[np.int64], n_documents: int, p_positive: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Stars of documents given their distinct present features as ``(rows, columns)`` pairs."""
        sums = np.column_stack(
            [np.bincount(rows, weights=self.coef[c, columns], minlength=n_documents) for c in (0, 1)]
        )
        return self.mix(np.asarray(sums, dtype=np.float64), np.bincount(rows, minlength=n_documents), p_positive)

    def mix(
        self, sums: NDArray[np.float64], present: NDArray[np.int64], p_positive: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Stars from each camp's weight sums over the features present (shape ``(n, 2)``).

        The rows are unit-length presence vectors (each feature weighs
        ``1 / sqrt(present)``); each camp is clipped to its range, mixed by
        P(positive), and rounded to one decimal on the 1-10 scale.
        """
        scale = np.sqrt(np.maximum(np.asarray(present, dtype=np.float64), 1.0))
        camps = np.clip(sums / scale[:, None] + self.intercept, self.range[:, 0], self.range[:, 1])
        p = np.asarray(p_positive, dtype=np.float64)
        return np.asarray(np.round(np.clip(p * camps[:, 1] + (1.0 - p) * camps[:, 0], 1.0, 10.0), 1), dtype=np.float64)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays for a model file (``coef`` as float32, as every weight vector is saved)."""
        return {
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float64),
            "range": self.range.astype(np.float64),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> StarWeights:
        """Rebuild star weights saved by :meth:`to_arrays`."""
        return cls(arrays["coef"].astype(np.float64), arrays["intercept"], arrays["range"])


def rate(
    verdict: LinearScorer, stars: StarWeights, documents: Sequence[Sequence[str]] | Sequence[str]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Decision values, calibrated P(positive) and stars of documents (texts or token lists)."""
    rows, columns = verdict.index.present(documents)
    scores = verdict.total(rows, columns, len(documents))
    probability = np.asarray(verdict.probability(scores), dtype=np.float64)
    return scores, probability, stars.predict(rows, columns, len(documents), probability)
