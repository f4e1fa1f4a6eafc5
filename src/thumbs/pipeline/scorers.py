"""Linear scorers over n-gram presence: the saved form of every model a :class:`~thumbs.pipeline.model.Model` runs.

A :class:`LinearScorer` is an :class:`~thumbs.features.index.NgramIndex` plus one
weight per feature, an intercept, a calibration slope, an emphasis weight (an
n-gram that starts where :mod:`thumbs.text.emphasis` puts the verdict counts
``1 + emphasis`` times; 0 for scorers without one), and whether a document's sum
is divided by the square root of its number of distinct n-grams, counted as at least
``length_norm`` (0: no norm; a long review's many n-grams do not outvote a short
one's, and a one-line review is not read as surer than the long ones the
probability was calibrated on); :class:`StarWeights`
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

from thumbs.features.index import NgramIndex
from thumbs.features.int_sets import distinct, members
from thumbs.features.token_codes import TokenCodes, token_codes

#: The middle of the 1-10 star scale: a positive verdict's stars are above it, a negative one's below.
STARS_MIDDLE = 5.5
#: How far from the middle the stars of a verdict stay at least: one rounding step (stars are given to one
#: decimal), so that no review sits at 5.5, which would read as neither side.
STARS_MARGIN = 0.1


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
    """``score = sum over the n-grams present of coef * value / norm + intercept``; ``P = sigmoid(a * score + b)``.

    An n-gram's value is 1, or ``1 + emphasis`` when it occurs at least once where
    :mod:`thumbs.text.emphasis` puts the verdict; with ``emphasis = 0`` it is presence.
    ``norm`` is the square root of the number of distinct n-grams present, or of
    ``length_norm`` when that is larger; 1 when ``length_norm`` is 0. Each term is an
    n-gram's exact contribution.
    """

    index: NgramIndex
    coef: NDArray[np.float64]
    intercept: float
    calibration: tuple[float, float] = (1.0, 0.0)
    emphasis: float = 0.0
    length_norm: float = 0.0

    def contributions(
        self,
        rows: NDArray[np.int64],
        columns: NDArray[np.int64],
        n_rows: int,
        emphasized: NDArray[np.bool_] | None = None,
    ) -> NDArray[np.float64]:
        """Each present ``(row, column)`` pair's share of its row's score (the pairs distinct, sorted by row)."""
        weights = np.asarray(self.coef[columns], dtype=np.float64)
        if (emphasized is not None and self.emphasis) or self.length_norm:
            return np.asarray(weights * self.values(rows, n_rows, emphasized), dtype=np.float64)
        return weights

    def values(self, rows: NDArray[np.int64], n_rows: int, emphasized: NDArray[np.bool_] | None) -> NDArray[np.float64]:
        """What each present pair's weight is multiplied by: 1 or ``1 + emphasis``, over the row's norm."""
        values = np.ones(len(rows))
        if emphasized is not None and self.emphasis:
            values = np.where(emphasized, 1.0 + self.emphasis, 1.0)
        if self.length_norm:
            values = values / row_norms(rows, n_rows, self.length_norm)[rows]
        return np.asarray(values, dtype=np.float64)

    def present(
        self, documents: Sequence[Sequence[str]] | Sequence[str]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_] | None]:
        """``(rows, columns, emphasized)`` of the documents' distinct features (``emphasized`` None without emphasis)."""
        if self.emphasis:
            return self.index.present_emphasized(documents)
        rows, columns = self.index.present(documents)
        return rows, columns, None

    def values_matrix(self, documents: Sequence[Sequence[str]] | Sequence[str]) -> Any:
        """The matrix the weights multiply (a SciPy CSR matrix): what a scorer like this one is trained on.

        Each document's row holds, for each n-gram present, ``1`` or ``1 + emphasis``,
        divided by the row's norm under ``length_norm``; so ``values_matrix(d) @ coef +
        intercept == scores(d)``. Training only (it imports SciPy).
        """
        import scipy.sparse as sp

        rows, columns, emphasized = self.present(documents)
        values = self.values(rows, len(documents), emphasized)
        indptr = np.searchsorted(rows, np.arange(len(documents) + 1))
        return sp.csr_matrix((values, columns, indptr), shape=(len(documents), self.index.n_features))

    def total(
        self,
        rows: NDArray[np.int64],
        columns: NDArray[np.int64],
        n_rows: int,
        emphasized: NDArray[np.bool_] | None = None,
    ) -> NDArray[np.float64]:
        """Decision values of ``n_rows`` rows from their distinct features present, as ``(rows, columns)`` pairs.

        The sum of :meth:`contributions`, worked out with one array the size of the pairs (the
        row's norm divides its sum, not each pair): on a batch of texts this is the labels' hot path.
        """
        weights = np.asarray(self.coef[columns], dtype=np.float64)
        if emphasized is not None and self.emphasis:
            np.multiply(weights, 1.0 + self.emphasis, out=weights, where=emphasized)
        sums = np.asarray(np.bincount(rows, weights=weights, minlength=n_rows), dtype=np.float64)
        if self.length_norm:
            sums /= row_norms(rows, n_rows, self.length_norm)
        return np.asarray(sums + self.intercept, dtype=np.float64)

    def scores(self, documents: Sequence[Sequence[str]] | Sequence[str]) -> NDArray[np.float64]:
        """Decision values of token lists (or texts), one per document."""
        if len(documents) == 0:
            return np.zeros(0)
        batches = self.index.present_batches(documents, emphasis=bool(self.emphasis))
        return np.concatenate([self.total(b.rows, b.columns, b.size, b.emphasized) for b in batches])

    def sentence_scores(self, sentences: Sequence[Sequence[str]] | TokenCodes) -> NDArray[np.float64]:
        """Decision values of sentences (token lists, or a batch's :class:`TokenCodes`), without building a matrix."""
        codes = sentences if isinstance(sentences, TokenCodes) else token_codes(sentences)
        index = self.index
        raw = codes.stream(index.code_ids(codes), index.separator_id)
        found = index.stream_occurrences(raw, emphasis=bool(self.emphasis))
        row_of = np.searchsorted(np.cumsum(codes.lengths + 1), found.starts, side="right")
        keys = row_of * index.n_features + found.columns
        present = distinct(keys)  # presence: once per sentence
        emphasized = None if found.emphasized is None else members(present, distinct(keys[found.emphasized]))
        rows, features = np.divmod(present, index.n_features)
        return self.total(rows, features, len(codes.lengths), emphasized)

    def probability(self, scores: NDArray[np.float64] | float) -> Any:
        a, b = self.calibration
        return sigmoid(a * np.asarray(scores) + b)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays for a model file: the index's, ``coef`` (float32) and ``scalars``.

        ``scalars`` holds the intercept, the calibration's a and b, the emphasis weight and
        ``length_norm`` (files made before 0.2 hold the first three: no emphasis, no norm).
        """
        arrays = dict(self.index.to_arrays())
        arrays["coef"] = self.coef.astype(np.float32)
        arrays["scalars"] = np.array(
            [self.intercept, *self.calibration, self.emphasis, float(self.length_norm)], dtype=np.float64
        )
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LinearScorer:
        """Rebuild a scorer saved by :meth:`to_arrays`."""
        intercept, a, b, *rest = (float(v) for v in arrays["scalars"])
        emphasis, length_norm = (rest[0], rest[1]) if len(rest) >= 2 else (0.0, 0.0)
        coef = arrays["coef"].astype(np.float64)
        return cls(NgramIndex.from_arrays(arrays), coef, intercept, (a, b), emphasis, length_norm)


def row_norms(rows: NDArray[np.int64], n_rows: int, floor: float = 1.0) -> NDArray[np.float64]:
    """The square root of each row's number of distinct features, counted as at least ``floor`` (and 1).

    >>> row_norms(np.array([0, 0, 0, 0, 2]), 3).tolist()
    [2.0, 1.0, 1.0]
    >>> row_norms(np.array([0, 0, 0, 0, 2]), 3, floor=9.0).tolist()
    [3.0, 3.0, 3.0]
    """
    counts = np.bincount(rows, minlength=n_rows).astype(np.float64)
    return np.asarray(np.sqrt(np.maximum(counts, max(float(floor), 1.0))), dtype=np.float64)


@dataclass
class StarWeights:
    """The saved form of a fitted :class:`~thumbs.learn.stars.StarRegressor` over the verdict's features."""

    coef: NDArray[np.float64]  # (2, n_features): negative camp, positive camp
    intercept: NDArray[np.float64]  # (2,)
    range: NDArray[np.float64]  # (2, 2)

    def predict(
        self,
        rows: NDArray[np.int64],
        columns: NDArray[np.int64],
        n_documents: int,
        p_positive: NDArray[np.float64],
        positive: NDArray[np.bool_],
    ) -> NDArray[np.float64]:
        """Stars of documents given their distinct present features as ``(rows, columns)`` pairs and their verdicts."""
        sums = np.column_stack(
            [np.bincount(rows, weights=self.coef[c, columns], minlength=n_documents) for c in (0, 1)]
        )
        return self.mix(
            np.asarray(sums, dtype=np.float64), np.bincount(rows, minlength=n_documents), p_positive, positive
        )

    def mix(
        self,
        sums: NDArray[np.float64],
        present: NDArray[np.int64],
        p_positive: NDArray[np.float64],
        positive: NDArray[np.bool_],
    ) -> NDArray[np.float64]:
        """Stars from each camp's weight sums over the features present (shape ``(n, 2)``).

        The rows are unit-length presence vectors (each feature weighs
        ``1 / sqrt(present)``); each camp is clipped to its range, mixed by
        P(positive), and rounded to one decimal on the 1-10 scale. The stars then
        keep to the verdict's side of :data:`STARS_MIDDLE` (by :data:`STARS_MARGIN`
        at least): a positive verdict never comes with 5 stars, nor a negative one with 6.

        >>> weights = StarWeights(np.zeros((2, 1)), np.array([3.0, 8.0]), np.array([[1.0, 4.0], [7.0, 10.0]]))
        >>> weights.mix(np.zeros((2, 2)), np.array([3, 3]), np.array([0.45, 0.5]), np.array([True, False])).tolist()
        [5.6, 5.4]
        """
        scale = np.sqrt(np.maximum(np.asarray(present, dtype=np.float64), 1.0))
        camps = np.clip(sums / scale[:, None] + self.intercept, self.range[:, 0], self.range[:, 1])
        p = np.asarray(p_positive, dtype=np.float64)
        stars = np.round(np.clip(p * camps[:, 1] + (1.0 - p) * camps[:, 0], 1.0, 10.0), 1)
        sided = np.where(
            positive,
            np.maximum(stars, STARS_MIDDLE + STARS_MARGIN),
            np.minimum(stars, STARS_MIDDLE - STARS_MARGIN),
        )
        return np.asarray(sided, dtype=np.float64)

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
    rows, columns, emphasized = verdict.present(documents)
    scores = verdict.total(rows, columns, len(documents), emphasized)
    probability = np.asarray(verdict.probability(scores), dtype=np.float64)
    return scores, probability, stars.predict(rows, columns, len(documents), probability, scores > 0)
