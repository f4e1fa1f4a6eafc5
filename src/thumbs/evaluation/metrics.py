"""Figures of merit beyond accuracy: calibration of probabilities, errors of star ratings.

Probabilities are judged in equal-width bins (:func:`binned_means`): the
expected calibration error here and the reliability diagrams of
:mod:`thumbs.present.plots` bin them the same way, so a diagram shows the
bins its ECE was computed from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Equal-width confidence bins of the expected calibration error.
ECE_BINS = 10


@dataclass(frozen=True)
class Bins:
    """Per non-empty bin, in order: the mean value, the mean outcome, and how many values fell in it."""

    mean_value: NDArray[np.float64]
    mean_outcome: NDArray[np.float64]
    counts: NDArray[np.int64]


def bin_index(values: ArrayLike, bins: int, low: float = 0.0, high: float = 1.0) -> NDArray[np.intp]:
    """Which of ``bins`` equal-width bins of ``[low, high]`` each value falls in.

    A value on an inner edge opens the upper bin; ``high`` itself (and anything
    outside the range) goes to the nearest end bin.

    >>> bin_index([0.0, 0.25, 0.5, 0.99, 1.0], 4).tolist()
    [0, 1, 2, 3, 3]
    """
    scaled = (np.asarray(values, dtype=np.float64) - low) / (high - low) * bins
    return np.clip(scaled.astype(np.intp), 0, bins - 1)


def binned_means(values: ArrayLike, outcomes: ArrayLike, bins: int, low: float = 0.0, high: float = 1.0) -> Bins:
    """Values binned by :func:`bin_index`: each non-empty bin's mean value and mean outcome, and its count.

    >>> b = binned_means([0.1, 0.2, 0.9], [False, True, True], bins=2)
    >>> b.mean_value.round(2).tolist(), b.mean_outcome.tolist(), b.counts.tolist()
    ([0.15, 0.9], [0.5, 1.0], [2, 1])
    """
    values = np.asarray(values, dtype=np.float64)
    which = bin_index(values, bins, low, high)
    counts = np.bincount(which, minlength=bins)
    sums = np.bincount(which, weights=values, minlength=bins)
    hits = np.bincount(which, weights=np.asarray(outcomes, dtype=np.float64), minlength=bins)
    used = counts > 0
    return Bins(sums[used] / counts[used], hits[used] / counts[used], counts[used])


def expected_calibration_error(p_positive: np.ndarray, is_positive: np.ndarray, bins: int = ECE_BINS) -> float:
    """ECE (Guo et al. 2017): confidence of the predicted class against its accuracy, bin-weighted.

    The confidence (``p`` or ``1 - p``, at least 0.5) is binned over ``[0.5, 1]``.

    >>> round(expected_calibration_error(np.array([0.9, 0.9, 0.2, 0.2]), np.array([True, False, False, False])), 3)
    0.3
    """
    p = np.asarray(p_positive, dtype=np.float64)
    predicted = p > 0.5
    confidence = np.where(predicted, p, 1.0 - p)
    correct = predicted == np.asarray(is_positive, dtype=bool)
    binned = binned_means(confidence, correct, bins, low=0.5, high=1.0)
    total = 0.0
    for count, gap in zip(binned.counts, np.abs(binned.mean_value - binned.mean_outcome), strict=True):
        total += count / len(p) * gap
    return float(total)


def rating_errors(predicted: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Mean absolute error and Pearson r of estimated ratings."""
    predicted = np.asarray(predicted, dtype=np.float64)
    truth = np.asarray(truth, dtype=np.float64)
    mae = float(np.mean(np.abs(predicted - truth)))
    r = float(np.corrcoef(predicted, truth)[0, 1]) if predicted.std() > 0 and truth.std() > 0 else 0.0
    return mae, r
