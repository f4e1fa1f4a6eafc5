"""The share aggregate: what estimating a group's share positive needs, in constant memory, merged exactly.

A film's reviews arrive in batches (a worker's partition, a chunk of a stream);
:class:`ShareAggregate` keeps their count, how many are labelled positive, and integer sums of
their probabilities in a logit-scale histogram, so that two aggregates merge into exactly the
aggregate of all their rows, in any order, and every estimator of :mod:`thumbs.summary.quantify`
reads it at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thumbs.errors import ThumbsError
from thumbs.summary.likelihood import maximum_likelihood_share
from thumbs.summary.quantify import (
    METHODS,
    RECOMMENDED,
    TRAINING_PRIOR,
    Estimate,
    Flags,
    Probabilities,
    Rates,
    adjusted_count,
    as_flags,
    as_probabilities,
    classify_and_count,
    probabilistic_adjusted_count,
    probabilistic_classify_and_count,
)

#: Probabilities are summed as whole multiples of 2**-32 (rounding each by at most 1.2e-10), so
#: sums are integers: exact, and the same in any order of adding and merging.
FIXED_POINT = 1 << 32
#: The aggregate's histogram of probabilities for SLD: bins of 1/8 on the logit scale from -16 to
#: +16 (the outermost bins take everything beyond), each keeping its count and sum; SLD reads each
#: bin as its reviews' mean probability (within 0.002 of the estimate from every probability).
LOGIT_SPAN = 16.0
BIN_WIDTH = 0.125
N_BINS = int(2 * LOGIT_SPAN / BIN_WIDTH)
#: Rows in one batch of :meth:`ShareAggregate.add` at most (its integer sums stay within int64).
MAX_BATCH = 1 << 30


@dataclass(frozen=True, slots=True)
class ShareAggregate:
    """What every estimator needs of a group's reviews, in constant memory; batches add, aggregates merge.

    ``n`` reviews, ``positive`` of them labelled positive, ``sum_p2`` their probabilities'
    squares in units of 2**-32 (:data:`FIXED_POINT`), and ``bins``: for each occupied bin of the
    logit-scale histogram (:data:`N_BINS`), ``(bin, reviews, sum of probabilities in units of
    2**-32)``, in bin order. Every field is an integer, so :meth:`merge` is exact and the result
    does not depend on how the rows were split or ordered:

    >>> left = ShareAggregate.of([0.9, 0.2], [True, False])
    >>> right = ShareAggregate.of([0.7], [True])
    >>> left.merge(right) == ShareAggregate.of([0.9, 0.2, 0.7], [True, False, True])
    True
    >>> both = left.merge(right)
    >>> both.n, both.positive, round(both.sum_p, 6), round(both.sum_pq, 6)
    (3, 2, 1.8, 0.46)
    """

    n: int = 0
    positive: int = 0
    sum_p2: int = 0
    bins: tuple[tuple[int, int, int], ...] = ()

    @classmethod
    def of(
        cls,
        probabilities: Probabilities,
        labels: Flags | None = None,
    ) -> ShareAggregate:
        """The aggregate of one batch (see :meth:`add`)."""
        return cls().add(probabilities, labels)

    def add(
        self,
        probabilities: Probabilities,
        labels: Flags | None = None,
    ) -> ShareAggregate:
        """This aggregate with a batch of reviews' calibrated P(positive) and labels (positive: True) added.

        Without labels a review counts as labelled positive when its probability is above 0.5.
        An empty batch adds nothing.

        >>> ShareAggregate().add([0.8, 0.6], [True, False]).add([0.1]).positive
        1
        """
        p = as_probabilities(probabilities, "aggregate")
        if len(p) > MAX_BATCH:
            raise ThumbsError(f"a batch of {len(p):,} rows is too large: add at most {MAX_BATCH:,} at a time")
        flags = as_flags(labels, len(p), "labels", "aggregate") if labels is not None else p > 0.5
        if len(p) == 0:
            return self
        units = np.rint(p * FIXED_POINT).astype(np.int64)
        squares = np.rint(p * p * FIXED_POINT).astype(np.int64)
        where = _bin_of(p)
        counts = np.bincount(where, minlength=N_BINS)
        sums = np.zeros(N_BINS, dtype=np.int64)
        np.add.at(sums, where, units)
        added = tuple((int(b), int(counts[b]), int(sums[b])) for b in np.flatnonzero(counts))
        return ShareAggregate(
            self.n + len(p),
            self.positive + int(flags.sum()),
            self.sum_p2 + int(squares.sum()),
            _merge_bins(self.bins, added),
        )

    def merge(self, other: ShareAggregate) -> ShareAggregate:
        """The aggregate of both groups of rows: exactly the aggregate of all of them at once."""
        if not isinstance(other, ShareAggregate):
            raise ThumbsError(f"a ShareAggregate merges with another, not with {type(other).__name__}")
        return ShareAggregate(
            self.n + other.n,
            self.positive + other.positive,
            self.sum_p2 + other.sum_p2,
            _merge_bins(self.bins, other.bins),
        )

    @property
    def sum_p(self) -> float:
        """The sum of the probabilities (each rounded to a multiple of 2**-32)."""
        return sum(total for _, _, total in self.bins) / FIXED_POINT

    @property
    def sum_pq(self) -> float:
        """The sum of p (1 - p) over the reviews: the variance of their count of positives."""
        return (sum(total for _, _, total in self.bins) - self.sum_p2) / FIXED_POINT

    def histogram(self) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Each occupied bin's mean probability and its count of reviews (what SLD reads)."""
        counts = np.array([count for _, count, _ in self.bins], dtype=np.int64)
        totals = np.array([total for _, _, total in self.bins], dtype=np.float64)
        return totals / FIXED_POINT / np.maximum(counts, 1), counts

    def estimate(
        self, method: str = RECOMMENDED, rates: Rates | None = None, training_prior: float = TRAINING_PRIOR
    ) -> Estimate:
        """The share positive by ``method`` (one of :data:`METHODS`); ACC and PACC need ``rates``.

        >>> rates = Rates(0.9, 0.1, 0.85, 0.15)
        >>> aggregate = ShareAggregate.of([0.9, 0.8, 0.3, 0.2, 0.6])
        >>> [round(aggregate.estimate(m, rates).value, 3) for m in METHODS]
        [0.6, 0.56, 0.625, 0.586, 0.703]
        """
        if self.n == 0:
            raise ThumbsError("no reviews to estimate a share from (n = 0)")
        if method == "cc":
            return classify_and_count(self.positive, self.n)
        if method == "pcc":
            return probabilistic_classify_and_count(self.sum_p, max(self.sum_pq, 0.0), self.n)
        if method in ("acc", "pacc"):
            if rates is None:
                raise ThumbsError(f"{method} needs the classifier's rates on labelled reviews: pass rates=Rates(...)")
            if method == "acc":
                return adjusted_count(self.positive, self.n, rates)
            return probabilistic_adjusted_count(min(self.sum_p, float(self.n)), self.n, rates)
        if method == "sld":
            probabilities, counts = self.histogram()
            return maximum_likelihood_share(probabilities, counts, training_prior)
        raise ThumbsError(f"unknown share method {method!r}: choose from {', '.join(METHODS)}")

    def estimates(self, rates: Rates | None = None, training_prior: float = TRAINING_PRIOR) -> dict[str, Estimate]:
        """Every method's estimate (ACC and PACC only with ``rates``), by name."""
        return {
            method: self.estimate(method, rates, training_prior)
            for method in METHODS
            if rates is not None or method not in ("acc", "pacc")
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (integers and lists), to send or store a partial aggregate."""
        return {"n": self.n, "positive": self.positive, "sum_p2": self.sum_p2, "bins": [list(b) for b in self.bins]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ShareAggregate:
        """An aggregate from :meth:`to_dict`'s values."""
        try:
            bins = tuple((int(b), int(c), int(t)) for b, c, t in data["bins"])
            return cls(int(data["n"]), int(data["positive"]), int(data["sum_p2"]), bins)
        except (KeyError, TypeError, ValueError) as exc:
            raise ThumbsError(f"not a share aggregate ({exc})") from None


def merge_all(aggregates: Iterable[ShareAggregate]) -> ShareAggregate:
    """Every aggregate merged into one (an empty aggregate for none).

    >>> merge_all([ShareAggregate.of([0.9]), ShareAggregate.of([0.2])]).n
    2
    """
    total = ShareAggregate()
    for aggregate in aggregates:
        total = total.merge(aggregate)
    return total


def _bin_of(p: NDArray[np.float64]) -> NDArray[np.int64]:
    """The histogram bin of each probability (by its logit; beyond +-16 the outermost bins)."""
    with np.errstate(divide="ignore"):
        logit = np.log(p) - np.log1p(-p)
    place = np.floor((np.clip(logit, -LOGIT_SPAN, LOGIT_SPAN) + LOGIT_SPAN) / BIN_WIDTH)
    return np.minimum(place, N_BINS - 1).astype(np.int64)


def _merge_bins(
    left: tuple[tuple[int, int, int], ...], right: tuple[tuple[int, int, int], ...]
) -> tuple[tuple[int, int, int], ...]:
    if not right:
        return left
    if not left:
        return right
    merged: dict[int, tuple[int, int]] = {b: (c, t) for b, c, t in left}
    for b, c, t in right:
        count, total = merged.get(b, (0, 0))
        merged[b] = (count + c, total + t)
    return tuple((b, c, t) for b, (c, t) in sorted(merged.items()))
