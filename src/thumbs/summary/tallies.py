"""Per-film tallies: what a summary keeps of each review, in constant memory, and merges exactly.

A film's summary is built review by review (:meth:`FilmTally.add`) from what it keeps of each
review (:class:`~thumbs.summary.facts.ReviewFacts`); a tally keeps sums and counts, never the reviews,
so a million reviews in thousands of films take flat memory. Two tallies of one film (two
workers, two partitions) merge into the tally of all their reviews (:meth:`FilmTally.merge`):
the sums add, the bounded lists (the strongest quotes) keep the strongest of both, and the
phrase counts add (their pruning, past :data:`PHRASES_KEPT_PER_SIGN`, keeps the most frequent).

>>> tally = FilmTally()
>>> tally.add(ReviewFacts(id="1", positive=True, probability=0.9, stars=8.0))
>>> tally.add(ReviewFacts(id="2", positive=False, probability=0.2, stars=3.0))
>>> share = tally.share.aggregate()
>>> share.n, share.positive, round(share.sum_p, 2), tally.stars.histogram[7]
(2, 1, 1.1, 1)
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter
from dataclasses import dataclass, field

from thumbs.summary.facts import ReviewFacts
from thumbs.summary.share_aggregate import ShareAggregate

#: The star scale's bins: 1 to 10, a review's stars rounded to the nearest whole star.
STAR_BINS = 10
#: Reviews a :class:`ProbabilityTally` holds before adding them to its aggregate in one batch.
PENDING_REVIEWS = 256
#: Quotes kept per film and aspect: the clauses that judge it most strongly.
QUOTES_KEPT = 3
#: Distinct phrases counted per sign and film before the rarest half is dropped: a counter's
#: memory grows with the phrases it holds and every film has two, so the cap bounds what thousands
#: of films take; the few most frequent phrases, the ones listed, stay counted exactly unless a
#: film has hundreds of distinct phrases each said as often.
PHRASES_KEPT_PER_SIGN = 500


@dataclass
class CountTally:
    """How many reviews judge something, and how many of them positively (what an aspect's share needs)."""

    n: int = 0
    positive: int = 0

    def add(self, positive: bool) -> None:
        self.n += 1
        self.positive += positive

    def merge(self, other: CountTally) -> None:
        self.n += other.n
        self.positive += other.positive


@dataclass
class ProbabilityTally:
    """Reviews' calibrated P(positive) and labels, kept as a :class:`~thumbs.summary.quantify.ShareAggregate`.

    Reviews come one at a time; they wait in a short buffer and join the aggregate
    :data:`PENDING_REVIEWS` at a time (the aggregate adds a batch in NumPy), so memory stays bounded.
    The buffers are typed arrays (8 bytes and 1 byte a review) rather than lists of Python objects:
    a film and each of its months has one, so with thousands of films they add up.
    """

    done: ShareAggregate = field(default_factory=ShareAggregate)
    pending: array[float] = field(default_factory=lambda: array("d"))
    pending_labels: array[int] = field(default_factory=lambda: array("b"))

    def add(self, probability: float, positive: bool) -> None:
        self.pending.append(probability)
        self.pending_labels.append(positive)
        if len(self.pending) >= PENDING_REVIEWS:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.done = self.done.add(self.pending, self.pending_labels)
            self.pending, self.pending_labels = array("d"), array("b")

    def aggregate(self) -> ShareAggregate:
        """Every review added so far, as one aggregate."""
        self._flush()
        return self.done

    def merge(self, other: ProbabilityTally) -> None:
        self.done = self.aggregate().merge(other.aggregate())


@dataclass
class StarsTally:
    """The stars' count, sum, sum of squares and histogram (1-10)."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0
    histogram: list[int] = field(default_factory=lambda: [0] * STAR_BINS)

    def add(self, stars: float) -> None:
        self.n += 1
        self.total += stars
        self.squares += stars * stars
        self.histogram[min(max(int(stars + 0.5), 1), STAR_BINS) - 1] += 1

    def merge(self, other: StarsTally) -> None:
        self.n += other.n
        self.total += other.total
        self.squares += other.squares
        self.histogram = [a + b for a, b in zip(self.histogram, other.histogram)]


@dataclass(order=True, frozen=True)
class Quote:
    """A clause that judges an aspect, kept by its strength (|polarity|): the review's id, its words."""

    strength: float
    review_id: str
    text: str = field(compare=False)
    polarity: float = field(compare=False)


@dataclass
class AspectTally:
    """One aspect in one film: the reviews that judge it, how many positively, and its strongest clauses.

    A review judges an aspect positively when the mean polarity of its judgements of it is above 0.
    """

    share: CountTally = field(default_factory=CountTally)
    quotes: list[Quote] = field(default_factory=list)  # a min-heap of the QUOTES_KEPT strongest

    def add(self, review_id: str, polarities: list[float], clauses: list[tuple[str, float]]) -> None:
        self.share.add(sum(polarities) > 0)  # the mean's sign
        for text, polarity in clauses:
            self._keep(Quote(abs(polarity), review_id, text, polarity))

    def _keep(self, quote: Quote) -> None:
        if len(self.quotes) < QUOTES_KEPT:
            heapq.heappush(self.quotes, quote)
        elif quote > self.quotes[0]:
            heapq.heapreplace(self.quotes, quote)

    def merge(self, other: AspectTally) -> None:
        self.share.merge(other.share)
        for quote in other.quotes:
            self._keep(quote)


@dataclass
class PeriodTally:
    """A film's reviews in one month: their share positive and their stars."""

    share: ProbabilityTally = field(default_factory=ProbabilityTally)
    stars: StarsTally = field(default_factory=StarsTally)

    def merge(self, other: PeriodTally) -> None:
        self.share.merge(other.share)
        self.stars.merge(other.stars)


@dataclass
class FilmTally:
    """Everything a film's summary is made of, added review by review; see the module docstring."""

    read: int = 0
    failed: int = 0
    share: ProbabilityTally = field(default_factory=ProbabilityTally)
    stars: StarsTally = field(default_factory=StarsTally)
    aspects: dict[str, AspectTally] = field(default_factory=dict)
    praised: Counter[str] = field(default_factory=Counter)
    criticized: Counter[str] = field(default_factory=Counter)
    months: dict[str, PeriodTally] = field(default_factory=dict)

    def add(self, facts: ReviewFacts, month: str | None = None) -> None:
        """Count one review (a failed one counts as read and failed, and nothing else)."""
        self.read += 1
        if facts.failed:
            self.failed += 1
            return
        assert facts.probability is not None and facts.stars is not None  # not failed
        self.share.add(facts.probability, facts.positive)
        self.stars.add(facts.stars)
        if month is not None:
            period = self.months.setdefault(month, PeriodTally())
            period.share.add(facts.probability, facts.positive)
            period.stars.add(facts.stars)
        review_id = facts.id if facts.id is not None else str(self.read)
        judged: dict[str, tuple[list[float], list[tuple[str, float]]]] = {}
        for aspect, polarity, clause in facts.aspects:
            polarities, clauses = judged.setdefault(aspect, ([], []))
            polarities.append(polarity)
            clauses.append((clause, polarity))
        for aspect, (polarities, clauses) in judged.items():
            self.aspects.setdefault(aspect, AspectTally()).add(review_id, polarities, clauses)
        if facts.phrases:
            for phrase, sign in facts.phrases:
                (self.praised if sign > 0 else self.criticized)[phrase] += 1
            _prune(self.praised)
            _prune(self.criticized)

    def merge(self, other: FilmTally) -> None:
        """Add another tally of the same film (another partition's reviews)."""
        self.read += other.read
        self.failed += other.failed
        self.share.merge(other.share)
        self.stars.merge(other.stars)
        for aspect, tally in other.aspects.items():
            self.aspects.setdefault(aspect, AspectTally()).merge(tally)
        self.praised.update(other.praised)
        self.criticized.update(other.criticized)
        _prune(self.praised)
        _prune(self.criticized)
        for month, period in other.months.items():
            self.months.setdefault(month, PeriodTally()).merge(period)


def _prune(counter: Counter[str]) -> None:
    """Keep the most frequent half of a counter that has grown past :data:`PHRASES_KEPT_PER_SIGN`."""
    if len(counter) > PHRASES_KEPT_PER_SIGN:
        kept = dict(counter.most_common(PHRASES_KEPT_PER_SIGN // 2))
        counter.clear()
        counter.update(kept)
