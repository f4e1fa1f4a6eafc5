"""Figures of merit beyond accuracy: calibration of probabilities, errors of star ratings."""

from __future__ import annotations

import numpy as np

#: Equal-width confidence bins of the expected calibration error.
ECE_BINS = 10


def expected_calibration_error(p_positive: np.ndarray, is_positive: np.ndarray, bins: int = ECE_BINS) -> float:
    """ECE (Guo et al. 2017): confidence of the predicted class against its accuracy, bin-weighted.

    >>> round(expected_calibration_error(np.array([0.9, 0.9, 0.2, 0.2]), np.array([True, False, False, False])), 3)
    0.3
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
