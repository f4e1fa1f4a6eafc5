"""SLD: the share of positive reviews under which a group's calibrated probabilities are most likely.

Saerens, Latinne & Decaestecker (2002), "Adjusting the outputs of a classifier to new a priori
probabilities": the estimator :data:`thumbs.summary.quantify.RECOMMENDED` names, with its 95%
interval for the group's own share. Its own module: the likelihood, its maximum and the
posterior the interval is read from take more lines than the other four estimators together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from thumbs.errors import ThumbsError
from thumbs.summary.quantify import TAIL, TRAINING_PRIOR, Estimate, Probabilities, as_probabilities

#: SLD reads probabilities as at least this far from 0 and 1 (a probability of exactly 1 would
#: make every share below 1 impossible).
P_FLOOR = 1e-9
#: Points of the grid over the group's underlying share on which SLD's interval is computed.
GRID_POINTS = 201


def maximum_likelihood_share(
    probabilities: Probabilities,
    counts: Sequence[int] | NDArray[np.int64] | None = None,
    training_prior: float = TRAINING_PRIOR,
) -> Estimate:
    """SLD: the share under which the reviews' calibrated probabilities are most likely, and its interval.

    The probabilities are calibrated for the mix the model was trained on (``training_prior``
    positive). If a group differs only in its mix (the reviews of each class read alike
    everywhere), a review's probability under a group share s is its probability re-weighted by
    s / training_prior and (1 - s) / (1 - training_prior) (Saerens, Latinne & Decaestecker 2002);
    the estimate is the s of greatest likelihood, found exactly (the log-likelihood is concave),
    0 or 1 where the likelihood is greatest there. It is the fixed point of their EM algorithm.

    The interval is for the group's own share, a whole count k over n: with a uniform prior over
    s, each s gives the count a Poisson-binomial distribution (the re-weighted probabilities;
    normal, with a continuity correction), and the interval runs from the 2.5% to the 97.5%
    quantile of the count mixed over s's posterior, divided by n (widened to take in the
    estimate, if it must).

    ``counts`` gives how many reviews have each probability (for a histogram; default one each).

    >>> estimate = maximum_likelihood_share([0.9, 0.8, 0.3, 0.2])
    >>> round(estimate.value, 4), estimate.low, estimate.high  # four reviews pin little
    (0.6385, 0.0, 1.0)
    >>> maximum_likelihood_share([0.99, 0.97, 0.9]).value  # all clearly positive: exactly 1
    1.0
    """
    p = as_probabilities(probabilities, "sld")
    if counts is None:
        c = np.ones(len(p), dtype=np.float64)
    else:
        c_int = np.asarray(counts)
        if c_int.shape != p.shape or not np.issubdtype(c_int.dtype, np.integer) or (c_int < 0).any():
            raise ThumbsError("sld: counts must be whole numbers of 0 or more, one for each probability")
        c = c_int.astype(np.float64)
    n = int(round(float(c.sum())))
    if n == 0:
        raise ThumbsError("no reviews to estimate a share from (n = 0)")
    if not (isinstance(training_prior, int | float) and 0.0 < training_prior < 1.0):
        raise ThumbsError(f"sld: the training prior must be between 0 and 1, not {training_prior!r}")
    kept = c > 0
    p, c = np.clip(p[kept], P_FLOOR, 1.0 - P_FLOOR), c[kept]
    a = p / training_prior  # the likelihood of the review if positive, up to a factor common to both
    b = (1.0 - p) / (1.0 - training_prior)  # ... if negative
    value = _most_likely_share(a, b, c)
    shares, weights = _posterior(a, b, c)
    q = _reweighted(shares, a, b)
    mean = q @ c
    sd = np.sqrt(np.maximum((q * (1.0 - q)) @ c, 0.0))
    low = _count_quantile(TAIL, weights=weights, mean=mean, sd=sd, n=n) / n
    high = _count_quantile(1.0 - TAIL, weights=weights, mean=mean, sd=sd, n=n) / n
    return Estimate("sld", value, min(low, value), max(high, value), n)


def _reweighted(shares: NDArray[np.float64], a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """P(positive) of each review (column) under each group share (row)."""
    s = shares[:, None]
    return np.asarray(s * a / (s * a + (1.0 - s) * b), dtype=np.float64)


def _log_likelihood(
    shares: NDArray[np.float64], a: NDArray[np.float64], b: NDArray[np.float64], c: NDArray[np.float64]
) -> NDArray[np.float64]:
    s = shares[:, None]
    return np.asarray(np.log(s * a + (1.0 - s) * b) @ c, dtype=np.float64)


def _most_likely_share(a: NDArray[np.float64], b: NDArray[np.float64], c: NDArray[np.float64]) -> float:
    """The s in [0, 1] maximizing sum c log(s a + (1 - s) b): its derivative falls with s, so bisect it."""

    def slope(s: float) -> float:
        return float(((a - b) / (s * a + (1.0 - s) * b)) @ c)

    at_zero, at_one = slope(0.0), slope(1.0)
    if at_zero <= 0.0 <= at_one:  # flat: every review's probability is the training prior
        return float((a / (a + b)) @ c / c.sum())
    if at_zero <= 0.0:
        return 0.0
    if at_one >= 0.0:
        return 1.0
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2.0
        if slope(middle) > 0.0:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


def _posterior(
    a: NDArray[np.float64], b: NDArray[np.float64], c: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A grid over the group's underlying share where its posterior (uniform prior) is not negligible, and the weights.

    A coarse grid over [0, 1] finds where the log-likelihood is within 40 of its greatest; a
    fine grid of :data:`GRID_POINTS` covers that stretch.
    """
    coarse = np.linspace(0.0, 1.0, GRID_POINTS)
    ll = _log_likelihood(coarse, a, b, c)
    near = np.flatnonzero(ll >= ll.max() - 40.0)
    step = coarse[1] - coarse[0]
    fine = np.linspace(max(coarse[near[0]] - step, 0.0), min(coarse[near[-1]] + step, 1.0), GRID_POINTS)
    ll = _log_likelihood(fine, a, b, c)
    weights = np.exp(ll - ll.max())
    return fine, weights / weights.sum()


def _count_quantile(
    level: float, *, weights: NDArray[np.float64], mean: NDArray[np.float64], sd: NDArray[np.float64], n: int
) -> int:
    """The least count k in 0..n whose probability of k or fewer reaches ``level`` under the mixture.

    ``weights`` weighs normal distributions of the count (``mean``, ``sd``), each read with a
    continuity correction: P(count <= k) is the normal's probability below k + 0.5.
    """

    def cdf(k: int) -> float:
        t = k + 0.5
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(sd > 0.0, (t - mean) / np.where(sd > 0.0, sd, 1.0), np.where(t >= mean, np.inf, -np.inf))
        erf = np.fromiter((math.erf(v) for v in (z / math.sqrt(2.0)).tolist()), dtype=np.float64, count=len(z))
        phi = 0.5 * (1.0 + erf)
        return float(phi @ weights)

    low, high = 0, n
    while low < high:
        middle = (low + high) // 2
        if cdf(middle) >= level:
            high = middle
        else:
            low = middle + 1
    return low
