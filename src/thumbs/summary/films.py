"""Film summaries: what the reviews of each film (or any group) say, estimated with intervals.

:class:`FilmFold` folds reviews (what :mod:`thumbs.summary.facts` keeps of each) into one
:class:`~thumbs.summary.tallies.FilmTally` per group, then turns each into a
:class:`FilmSummary`: the reviews read and failed, the share of positive reviews with a 95%
interval, the mean stars with a 95% interval and the 1-10 histogram, each aspect's reviews,
share positive and strongest quotes, the phrases most often praised and criticized, and, with
dates, the same by month.

The share positive is estimated, not counted (:data:`SHARE_METHOD`, SLD): see
:mod:`thumbs.summary.quantify` for why and :func:`share_estimate` for how well.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from thumbs.pipeline.analysis import Analysis
from thumbs.pipeline.model import Model
from thumbs.summary.facts import ReviewFacts, facts_of
from thumbs.summary.quantify import RECOMMENDED, Estimate, classify_and_count
from thumbs.summary.tallies import AspectTally, CountTally, FilmTally, PeriodTally, ProbabilityTally, StarsTally

#: The two-sided 95% normal quantile.
Z95 = 1.959963984540054
#: Phrases listed per film and sign.
PHRASES_LISTED = 5
#: How the share positive is estimated (the name the output carries): see :func:`share_estimate`.
SHARE_METHOD = RECOMMENDED


@dataclass(frozen=True, slots=True)
class Share:
    """An estimated share of positive reviews and its 95% interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class QuoteSummary:
    """A clause of a review (by its id) that judges an aspect, and its polarity."""

    review_id: str
    text: str
    polarity: float


@dataclass(frozen=True, slots=True)
class AspectSummary:
    """One aspect of a film: how many reviews judge it, the share of them positive, its strongest quotes."""

    aspect: str
    reviews: int
    share: Share
    quotes: tuple[QuoteSummary, ...]


@dataclass(frozen=True, slots=True)
class PeriodSummary:
    """A film's reviews in one month (``YYYY-MM``)."""

    month: str
    reviews: int
    share: Share
    stars: float


@dataclass(frozen=True, slots=True)
class FilmSummary:
    """What the reviews of one group (a film) say; ``to_dict()`` is its JSON object, ``to_row()`` its flat row."""

    group: str
    reviews: int
    failed: int
    share: Share
    method: str
    stars: float | None
    stars_low: float | None
    stars_high: float | None
    histogram: tuple[int, ...]
    aspects: tuple[AspectSummary, ...]
    praised: tuple[tuple[str, int], ...]
    criticized: tuple[tuple[str, int], ...]
    months: tuple[PeriodSummary, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of this summary (one line of ``thumbs summarize --json``)."""
        return {
            "group": self.group,
            "reviews": self.reviews,
            "failed": self.failed,
            "share_positive": _share_dict(self.share),
            "method": self.method,
            "stars": {"mean": self.stars, "low": self.stars_low, "high": self.stars_high},
            "histogram": list(self.histogram),
            "aspects": [
                {
                    "aspect": a.aspect,
                    "reviews": a.reviews,
                    "share_positive": _share_dict(a.share),
                    "quotes": [{"review_id": q.review_id, "text": q.text, "polarity": q.polarity} for q in a.quotes],
                }
                for a in self.aspects
            ],
            "praised": [{"phrase": p, "count": n} for p, n in self.praised],
            "criticized": [{"phrase": p, "count": n} for p, n in self.criticized],
            "months": [
                {"month": m.month, "reviews": m.reviews, "share_positive": _share_dict(m.share), "stars": m.stars}
                for m in self.months
            ],
        }

    def to_row(self, aspects: Iterable[str] = ()) -> dict[str, Any]:
        """Flat values: the film's figures, then each of ``aspects`` as two columns (reviews, share)."""
        row: dict[str, Any] = {
            "group": self.group,
            "reviews": self.reviews,
            "failed": self.failed,
            "share_positive": self.share.value,
            "share_low": self.share.low,
            "share_high": self.share.high,
            "method": self.method,
            "stars": self.stars,
            "stars_low": self.stars_low,
            "stars_high": self.stars_high,
        }
        by_name = {a.aspect: a for a in self.aspects}
        for name in aspects:
            found = by_name.get(name)
            row[f"{name}_reviews"] = found.reviews if found else 0
            row[f"{name}_share"] = found.share.value if found else None
        row["praised"] = "; ".join(p for p, _ in self.praised)
        row["criticized"] = "; ".join(p for p, _ in self.criticized)
        return row


def _share_dict(share: Share) -> dict[str, float]:
    return {"value": share.value, "low": share.low, "high": share.high}


def share_estimate(tally: ProbabilityTally) -> Share:
    """The share positive of a tally's reviews by :data:`SHARE_METHOD`, and its 95% interval.

    SLD (Saerens, Latinne & Decaestecker 2002): the share under which the reviews' calibrated
    probabilities, re-weighted from the training share to it, are most likely
    (:func:`~thumbs.summary.likelihood.maximum_likelihood_share`). On the 767 films with at least 10
    aclImdb test reviews it errs least of the methods measured (`benchmarks/films.py`).
    """
    return _as_share(_estimate(tally))


def _estimate(tally: ProbabilityTally) -> Estimate | None:
    """The :data:`SHARE_METHOD` estimate of a tally's reviews, unrounded (None for no review)."""
    aggregate = tally.aggregate()
    return aggregate.estimate(SHARE_METHOD) if aggregate.n else None


def _as_share(estimate: Estimate | None) -> Share:
    return Share(0.0, 0.0, 1.0) if estimate is None else _share(estimate)


def counted_share(tally: CountTally) -> Share:
    """The share of a tally's reviews counted positive, with its 95% Wilson interval (for aspects).

    An aspect's polarity is not a calibrated probability: a review judging it positively counts one.
    """
    if tally.n == 0:
        return Share(0.0, 0.0, 1.0)
    return _share(classify_and_count(tally.positive, tally.n))


def _share(estimate: Estimate) -> Share:
    return Share(round(estimate.value, 4), round(estimate.low, 4), round(estimate.high, 4))


def _stars(
    tally: StarsTally, share: ProbabilityTally, estimate: Estimate | None, camp_gap: float
) -> tuple[float | None, float | None, float | None]:
    """A film's stars and the 95% interval of their mean (normal, from the reviews' spread).

    Each review's stars mix two camps (what the star model gives a positive and a negative
    review) by its P(positive); the film's mean is moved by the gap between the camps times how
    far the film's estimated share positive (SLD) is from its mean probability, so that a film's
    stars follow its corrected share (``camp_gap`` 0 leaves the mean as it is).
    """
    if tally.n == 0:
        return None, None, None
    mean = tally.total / tally.n
    if camp_gap and estimate is not None:  # ``estimate``: the share's, made once by the caller
        aggregate = share.aggregate()
        mean += (estimate.value - aggregate.sum_p / aggregate.n) * camp_gap
    variance = max(tally.squares / tally.n - (tally.total / tally.n) ** 2, 0.0) * tally.n / max(tally.n - 1, 1)
    spread = Z95 * math.sqrt(variance / tally.n)
    mean = min(max(mean, 1.0), 10.0)
    return round(mean, 2), round(max(mean - spread, 1.0), 2), round(min(mean + spread, 10.0), 2)


def _aspect(name: str, tally: AspectTally) -> AspectSummary:
    quotes = sorted(tally.quotes, reverse=True)
    return AspectSummary(
        name,
        tally.share.n,
        counted_share(tally.share),
        tuple(QuoteSummary(q.review_id, q.text, q.polarity) for q in quotes),
    )


def film_summary(group: str, tally: FilmTally, camp_gap: float = 0.0) -> FilmSummary:
    """The summary of one group's tally (``camp_gap``: see :func:`_stars`; the model's, :func:`camp_gap`)."""
    estimate = _estimate(tally.share)
    mean, low, high = _stars(tally.stars, tally.share, estimate, camp_gap)
    return FilmSummary(
        group=group,
        reviews=tally.read,
        failed=tally.failed,
        share=_as_share(estimate),
        method=SHARE_METHOD,
        stars=mean,
        stars_low=low,
        stars_high=high,
        histogram=tuple(tally.stars.histogram),
        aspects=tuple(_aspect(name, tally.aspects[name]) for name in sorted(tally.aspects)),
        praised=tuple(tally.praised.most_common(PHRASES_LISTED)),
        criticized=tuple(tally.criticized.most_common(PHRASES_LISTED)),
        months=tuple(_period(month, period, camp_gap) for month, period in sorted(tally.months.items())),
    )


def _period(month: str, period: PeriodTally, camp_gap: float) -> PeriodSummary:
    estimate = _estimate(period.share)
    return PeriodSummary(
        month, period.stars.n, _as_share(estimate), _stars(period.stars, period.share, estimate, camp_gap)[0] or 0.0
    )


def camp_gap(model: Model) -> float:
    """How many stars apart the star model's positive and negative camps start (their intercepts)."""
    intercepts = model.stars.intercept
    return float(intercepts[1] - intercepts[0])


class FilmFold:
    """Film summaries built a review at a time: one :class:`~thumbs.summary.tallies.FilmTally` per group.

    ``camp_gap``: see :func:`_stars` (the model's: :func:`camp_gap`). Memory grows with the groups,
    not with the reviews.

    >>> fold = FilmFold()
    >>> fold.add("Vertigo", None, ReviewFacts("1", positive=True, probability=0.9, stars=9.0))
    >>> [(s.group, s.reviews, s.stars) for s in fold.summaries()]
    [('Vertigo', 1, 9.0)]
    """

    def __init__(self, camp_gap: float = 0.0) -> None:
        self.camp_gap = camp_gap
        self.tallies: dict[str, FilmTally] = {}

    def add(self, group: str, month: str | None, facts: ReviewFacts) -> None:
        """Count one review of ``group`` (``month``: its ``YYYY-MM``, or None)."""
        tally = self.tallies.get(group)
        if tally is None:
            tally = self.tallies[group] = FilmTally()
        tally.add(facts, month)

    def merge(self, other: FilmFold) -> FilmFold:
        """Add ``other``'s reviews (another partition's), as if each had been added here; returns self.

        ``other`` is consumed: its tallies become this fold's.
        """
        for group, tally in other.tallies.items():
            mine = self.tallies.get(group)
            if mine is None:
                self.tallies[group] = tally
            else:
                mine.merge(tally)
        return self

    def summaries(self) -> list[FilmSummary]:
        """One summary per group, the groups with most reviews first (then by name)."""
        ordered = sorted(self.tallies.items(), key=lambda item: (-item[1].read, item[0]))
        return [film_summary(group, tally, self.camp_gap) for group, tally in ordered]


def summarize_analyses(
    analyses: Iterable[tuple[str, str | None, Analysis]], camp_gap: float = 0.0
) -> list[FilmSummary]:
    """One summary per group of ``(group, month, analysis)``, the groups with most reviews first."""
    fold = FilmFold(camp_gap)
    for group, month, analysis in analyses:
        fold.add(group, month, facts_of(analysis))
    return fold.summaries()
