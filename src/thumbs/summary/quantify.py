"""The share of positive reviews in a group, estimated (quantification), with a 95% interval.

The share of a film's reviews that are positive is a quantity to estimate, not a count of
labels. Counting the reviews labelled positive (classify and count, CC) is biased whenever the
classifier's two errors differ or the group's mix differs from the one it was trained on
(Forman 2008, "Quantifying counts and costs via classification"): a film whose reviews are all
positive gets the true positive rate, about 0.92, never 1. Averaging the calibrated
probabilities (PCC) is worse there: the probabilities are calibrated for the training mix (half
positive), so in a film where nine reviews in ten are positive each one is pulled toward 0.5.

Five estimators, from the cheapest to the one :data:`RECOMMENDED` names:

- :func:`classify_and_count` (CC): the share labelled positive; Wilson's interval.
- :func:`probabilistic_classify_and_count` (PCC): the mean calibrated probability; the interval
  of a Poisson-binomial count, variance ``sum p (1 - p) / n**2``.
- :func:`adjusted_count` (ACC): ``(CC - fpr) / (tpr - fpr)`` with rates measured on labelled
  reviews the model was not trained on (:class:`Rates`); clipped to [0, 1].
- :func:`probabilistic_adjusted_count` (PACC): the same with the mean probability and the mean
  probabilities of positive and of negative reviews.
- :func:`~thumbs.summary.likelihood.maximum_likelihood_share` (SLD, Saerens, Latinne & Decaestecker 2002, "Adjusting the
  outputs of a classifier to new a priori probabilities"): the share that makes the reviews'
  probabilities, re-weighted from the training mix to that share, most likely. It needs no rates,
  only the share of positive reviews the model was trained on.

How well, on the 767 IMDb films with 10 or more reviews in aclImdb test (``python
benchmarks/films.py``; default model, rates from polarity v2.0, never trained on; 2026-12-04):

======  ==============  ===============  ===========
method  share MAE       95% coverage     mean width
======  ==============  ===============  ===========
CC      0.0568          0.686            0.296
PCC     0.0831          0.722            0.197
ACC     0.0452          0.924            0.187
PACC    0.0441          0.893            0.156
SLD     0.0347          0.949            0.149
======  ==============  ===============  ===========

Every interval is clipped to [0, 1]. The intervals are for the share of the group's own reviews
(a finite group: its share is a whole count over ``n``), given that the classifier behaves on
them as it did where its rates or its calibration were measured. They do not widen for films
whose reviews are harder than most: SLD's covers 0.71 of the films with 20-50% positive reviews,
0.88 of those with 50-80%, and 0.97 to 1.00 of the rest. (In films with 20-50% positive reviews
the model labels 0.80 of the positive ones positive, against 0.94 in films with 80% or more, with
their reviewers' ratings alike: a film's reviews share its words, and the rates move with the
film, which no estimator here models.) Nor do they
hold the model's own calibration error, which dominates in groups of thousands: on all 25,000
reviews of aclImdb test (half positive) SLD gives 0.496, interval [0.493, 0.499].

:class:`~thumbs.summary.share_aggregate.ShareAggregate` is the incremental form: it takes
batches of probabilities and labels, holds counts and integer sums in constant memory, and merges
exactly, so partitions can be summarized apart and combined; the estimates are computed at the end.

>>> estimate = classify_and_count(8, 10)
>>> estimate.method, estimate.value, round(estimate.low, 4), round(estimate.high, 4)
('cc', 0.8, 0.4902, 0.9433)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thumbs.errors import ThumbsError

#: Labels as given: True (or 1) for positive.
Flags = Sequence[bool] | Sequence[int] | NDArray[np.bool_] | NDArray[np.int64]
#: Probabilities as given.
Probabilities = Sequence[float] | NDArray[np.float64]

#: The two-sided 95% normal quantile.
Z95 = 1.959963984540054
#: Each tail of a 95% interval.
TAIL = 0.025
#: The estimators, by the name :meth:`~thumbs.summary.share_aggregate.ShareAggregate.estimate` and the output use.
METHODS = ("cc", "pcc", "acc", "pacc", "sld")
#: The estimator thumbs uses (the most accurate on films, with the best interval; needs no rates).
RECOMMENDED = "sld"
#: The share of positive reviews the default model was trained on (aclImdb train is balanced).
TRAINING_PRIOR = 0.5


@dataclass(frozen=True, slots=True)
class Estimate:
    """An estimated share of positive reviews, its 95% interval, the method and the reviews it read.

    >>> round(Estimate("cc", 0.75, 0.3, 0.95, 4).width, 2)
    0.65
    """

    method: str
    value: float
    low: float
    high: float
    n: int

    @property
    def width(self) -> float:
        """How wide the interval is."""
        return self.high - self.low


@dataclass(frozen=True, slots=True)
class Rates:
    """How a classifier behaves on each class, measured on labelled reviews it was not trained on.

    ``tpr`` and ``fpr``: the shares of positive and of negative reviews it labels positive (for
    ACC); ``mean_p_positive`` and ``mean_p_negative``: the mean P(positive) it gives each class,
    and ``var_p_positive``/``var_p_negative`` its variance within each (for PACC and its
    interval). ``n_positive``/``n_negative``: how many reviews of each class they were measured
    on; the intervals allow for that sampling error (0 takes the rates as exact). ``source`` says
    where they come from, for the record.

    >>> rates = Rates(tpr=0.9, fpr=0.1, mean_p_positive=0.85, mean_p_negative=0.15)
    >>> round(rates.tpr - rates.fpr, 2)
    0.8
    >>> Rates(tpr=0.4, fpr=0.5, mean_p_positive=0.8, mean_p_negative=0.2)
    Traceback (most recent call last):
    thumbs.errors.ThumbsError: rates: the true positive rate (0.4) must be above the false positive rate (0.5), or the labels say nothing of the share
    """

    tpr: float
    fpr: float
    mean_p_positive: float
    mean_p_negative: float
    var_p_positive: float = 0.0
    var_p_negative: float = 0.0
    n_positive: int = 0
    n_negative: int = 0
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("tpr", "fpr", "mean_p_positive", "mean_p_negative"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
                raise ThumbsError(f"rates: {name} must be a number from 0 to 1, not {value!r}")
        for name in ("var_p_positive", "var_p_negative"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0.0 <= value <= 0.25):
                raise ThumbsError(f"rates: {name} must be a variance of probabilities (0 to 0.25), not {value!r}")
        for name in ("n_positive", "n_negative"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ThumbsError(f"rates: {name} must be a count of 0 or more, not {value!r}")
        if self.tpr <= self.fpr:
            raise ThumbsError(
                f"rates: the true positive rate ({self.tpr:g}) must be above the false positive rate "
                f"({self.fpr:g}), or the labels say nothing of the share"
            )
        if self.mean_p_positive <= self.mean_p_negative:
            raise ThumbsError(
                f"rates: the mean probability of positive reviews ({self.mean_p_positive:g}) must be above "
                f"that of negative ones ({self.mean_p_negative:g}), or the probabilities say nothing of the share"
            )

    @classmethod
    def measure(
        cls,
        probabilities: Probabilities,
        truth: Flags,
        labels: Flags | None = None,
        source: str = "",
    ) -> Rates:
        """The rates of a classifier from its probabilities (and labels) of reviews whose truth is known.

        ``labels`` are the classifier's (positive: True); without them a review is labelled
        positive when its probability is above 0.5.

        >>> rates = Rates.measure([0.9, 0.6, 0.4, 0.2], [True, True, True, False], source="four reviews")
        >>> round(rates.tpr, 3), rates.fpr, round(rates.mean_p_positive, 3), rates.n_positive, rates.source
        (0.667, 0.0, 0.633, 3, 'four reviews')
        """
        p = as_probabilities(probabilities, "rates")
        truth_ = as_flags(truth, len(p), "truth", "rates")
        labels_ = as_flags(labels, len(p), "labels", "rates") if labels is not None else p > 0.5
        positives, negatives = int(truth_.sum()), int((~truth_).sum())
        if positives == 0 or negatives == 0:
            raise ThumbsError("rates: the labelled reviews must hold both positive and negative ones")
        return cls(
            tpr=float(labels_[truth_].mean()),
            fpr=float(labels_[~truth_].mean()),
            mean_p_positive=float(p[truth_].mean()),
            mean_p_negative=float(p[~truth_].mean()),
            var_p_positive=float(p[truth_].var()),
            var_p_negative=float(p[~truth_].var()),
            n_positive=positives,
            n_negative=negatives,
            source=source,
        )


# --- the estimators, from each one's sufficient statistics ----------------------------


def classify_and_count(positive: int, n: int) -> Estimate:
    """CC: the share of the ``n`` reviews labelled positive, with Wilson's 95% score interval.

    Wilson's interval (1927) stays inside [0, 1] and keeps its coverage for small counts. It is
    the interval of the share *labelled* positive: CC's bias is not in it.

    >>> estimate = classify_and_count(3, 4)
    >>> estimate.value, round(estimate.low, 4), round(estimate.high, 4)
    (0.75, 0.3006, 0.9544)
    """
    _check_count(positive, n)
    share = positive / n
    z2 = Z95 * Z95
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    spread = Z95 * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Estimate("cc", share, max(centre - spread, 0.0), min(centre + spread, 1.0), n)


def probabilistic_classify_and_count(sum_p: float, sum_pq: float, n: int) -> Estimate:
    """PCC: the mean of ``n`` calibrated probabilities (summing to ``sum_p``), with a 95% interval.

    If each review is positive with its probability p_i, independently, the count of positive
    reviews is Poisson-binomial with variance ``sum_pq`` = sum p_i (1 - p_i): the interval is the
    mean plus or minus 1.96 times its square root over n, clipped to [0, 1].

    >>> estimate = probabilistic_classify_and_count(2.0, 0.5, 4)  # p = 0.9, 0.8, 0.2, 0.1
    >>> estimate.value, round(estimate.low, 4), round(estimate.high, 4)
    (0.5, 0.1535, 0.8465)
    """
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
        raise ThumbsError(f"no reviews to estimate a share from (n = {n!r})")
    if not (0.0 <= sum_p <= n) or not (0.0 <= sum_pq <= n / 4 + 1e-9):
        raise ThumbsError(f"sums of probabilities out of range for {n} reviews: sum_p {sum_p!r}, sum_pq {sum_pq!r}")
    share = sum_p / n
    spread = Z95 * math.sqrt(sum_pq) / n
    return Estimate("pcc", share, max(share - spread, 0.0), min(share + spread, 1.0), n)


def adjusted_count(positive: int, n: int, rates: Rates) -> Estimate:
    """ACC: the share labelled positive, corrected for the classifier's rates, clipped to [0, 1].

    Of a group whose true share is s, a share ``fpr + s (tpr - fpr)`` is labelled positive on
    average (Forman 2008), so s = (CC - fpr) / (tpr - fpr). The interval is a score interval, as
    Wilson's: the shares s under which the observed CC lies within 1.96 standard deviations of
    what s predicts, where the variance is that of the group's own reviews, ``(s tpr (1 - tpr) +
    (1 - s) fpr (1 - fpr)) / n``, plus that of the rates themselves (``tpr (1 - tpr) /
    n_positive`` times s squared, and so for fpr). Where no share explains the observation the
    rates do not describe the group, and the interval is the estimate alone.

    >>> rates = Rates(tpr=0.9, fpr=0.1, mean_p_positive=0.85, mean_p_negative=0.15)
    >>> estimate = adjusted_count(7, 10, rates)
    >>> round(estimate.value, 4), round(estimate.low, 4), round(estimate.high, 4)  # 0.75 +- 1.96 * 0.3 / sqrt(10) / 0.8
    (0.75, 0.5176, 0.9824)
    >>> adjusted_count(10, 10, rates).value  # (1 - 0.1) / 0.8 = 1.125, clipped
    1.0
    """
    _check_count(positive, n)
    if not isinstance(rates, Rates):
        raise ThumbsError(f"acc needs the classifier's Rates (Rates.measure), not {type(rates).__name__}")
    share = positive / n
    value = _clip((share - rates.fpr) / (rates.tpr - rates.fpr))
    var_low, var_high = rates.fpr * (1 - rates.fpr), rates.tpr * (1 - rates.tpr)
    low, high = _score_interval(
        share,
        rates.fpr,
        rates.tpr,
        var_low,
        var_high,
        n,
        var_low / rates.n_negative if rates.n_negative else 0.0,
        var_high / rates.n_positive if rates.n_positive else 0.0,
        value,
    )
    return Estimate("acc", value, low, high, n)


def probabilistic_adjusted_count(sum_p: float, n: int, rates: Rates) -> Estimate:
    """PACC: the mean probability, corrected by the classes' mean probabilities, clipped to [0, 1].

    ``(mean p - mean_p_negative) / (mean_p_positive - mean_p_negative)`` (Bella et al. 2010).
    The interval is ACC's score interval with the probabilities' class variances
    (``var_p_positive``, ``var_p_negative``) in place of the labels'.

    >>> rates = Rates(0.9, 0.1, 0.85, 0.15, var_p_positive=0.03, var_p_negative=0.03)
    >>> estimate = probabilistic_adjusted_count(6.4, 10, rates)  # mean p 0.64
    >>> round(estimate.value, 4), round(estimate.low, 4), round(estimate.high, 4)  # 0.7 +- 1.96 * sqrt(0.003) / 0.7
    (0.7, 0.5466, 0.8534)
    """
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
        raise ThumbsError(f"no reviews to estimate a share from (n = {n!r})")
    if not 0.0 <= sum_p <= n:
        raise ThumbsError(f"the probabilities of {n} reviews cannot sum to {sum_p!r}")
    if not isinstance(rates, Rates):
        raise ThumbsError(f"pacc needs the classifier's Rates (Rates.measure), not {type(rates).__name__}")
    mean = sum_p / n
    low_mean, high_mean = rates.mean_p_negative, rates.mean_p_positive
    value = _clip((mean - low_mean) / (high_mean - low_mean))
    low, high = _score_interval(
        mean,
        low_mean,
        high_mean,
        rates.var_p_negative,
        rates.var_p_positive,
        n,
        rates.var_p_negative / rates.n_negative if rates.n_negative else 0.0,
        rates.var_p_positive / rates.n_positive if rates.n_positive else 0.0,
        value,
    )
    return Estimate("pacc", value, low, high, n)


# --- helpers ---------------------------------------------------------------------------


def _clip(value: float) -> float:
    return min(max(float(value), 0.0), 1.0)


def _check_count(positive: int, n: int) -> None:
    for name, value in (("n", n), ("positive", positive)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ThumbsError(f"{name} must be a whole number, not {value!r}")
    if n <= 0:
        raise ThumbsError(f"no reviews to estimate a share from (n = {n})")
    if not 0 <= positive <= n:
        raise ThumbsError(f"{positive} positive reviews out of {n} is not a count")


def as_probabilities(values: Probabilities, where: str) -> NDArray[np.float64]:
    """``values`` as a 1-D float array, or a ThumbsError naming the first one that is not a probability."""
    try:
        p = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ThumbsError(f"{where}: probabilities must be numbers from 0 to 1") from None
    if p.ndim != 1:
        raise ThumbsError(f"{where}: probabilities must be a flat list of numbers, not of shape {p.shape}")
    bad = np.flatnonzero(~((p >= 0.0) & (p <= 1.0)))  # NaN fails both
    if len(bad):
        raise ThumbsError(f"{where}: probability {bad[0]} is {float(p[bad[0]])!r}, not a number from 0 to 1")
    return p


def as_flags(values: Any, n: int, name: str, where: str) -> NDArray[np.bool_]:
    """``values`` as a boolean array of length ``n`` (True/False or 1/0), or a ThumbsError."""
    flags = np.asarray(values)
    if flags.shape != (n,):
        raise ThumbsError(f"{where}: {len(flags) if flags.ndim == 1 else flags.shape} {name} for {n} probabilities")
    if flags.dtype == np.bool_:
        return flags
    if n and (not np.issubdtype(flags.dtype, np.number) or not np.isin(flags, (0, 1)).all()):
        raise ThumbsError(f"{where}: {name} must be True/False (or 1/0), positive meaning True")
    return flags.astype(bool)


def _score_interval(
    observed: float,
    low_mean: float,
    high_mean: float,
    var_low: float,
    var_high: float,
    n: int,
    rate_var_low: float,
    rate_var_high: float,
    value: float,
) -> tuple[float, float]:
    """The shares s in [0, 1] with (observed - low_mean - s d)**2 <= z**2 var(s), d = high_mean - low_mean.

    var(s) = (s var_high + (1 - s) var_low) / n + s**2 rate_var_high + (1 - s)**2 rate_var_low: the
    group's own noise plus the rates'. Both sides are quadratic in s; the set is the stretch
    between the roots. Empty (no share explains the observation): the estimate alone. Unbounded
    (rates too uncertain to pin the share): [0, 1].
    """
    z2 = Z95 * Z95
    d, e = high_mean - low_mean, observed - low_mean
    a = d * d - z2 * (rate_var_high + rate_var_low)
    b = -2.0 * e * d - z2 * ((var_high - var_low) / n - 2.0 * rate_var_low)
    c = e * e - z2 * (var_low / n + rate_var_low)
    if a <= 0.0:
        return 0.0, 1.0
    disc = b * b - 4.0 * a * c
    if disc < 0.0:
        return value, value
    root = math.sqrt(disc)
    low, high = (-b - root) / (2.0 * a), (-b + root) / (2.0 * a)
    if high < 0.0 or low > 1.0:
        return value, value
    return _clip(min(low, value)), _clip(max(high, value))
