"""The share estimators on small tables with known answers, their intervals, the aggregate's exact merge, the errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thumbs.errors import ThumbsError
from thumbs.summary.likelihood import maximum_likelihood_share
from thumbs.summary.quantify import (
    METHODS,
    Rates,
    adjusted_count,
    classify_and_count,
    probabilistic_adjusted_count,
    probabilistic_classify_and_count,
)
from thumbs.summary.share_aggregate import ShareAggregate, merge_all

Z = 1.959963984540054
EVEN = Rates(tpr=0.9, fpr=0.1, mean_p_positive=0.85, mean_p_negative=0.15, var_p_positive=0.03, var_p_negative=0.03)


# --- known answers ----------------------------------------------------------------------


def test_classify_and_count_is_the_labelled_share_with_wilsons_interval() -> None:
    estimate = classify_and_count(8, 10)
    # Wilson's 95% interval for 8 of 10, as tabulated (Newcombe 1998): 0.4902 to 0.9433
    assert (estimate.method, estimate.value, estimate.n) == ("cc", 0.8, 10)
    assert estimate.low == pytest.approx(0.4902, abs=1e-4) and estimate.high == pytest.approx(0.9433, abs=1e-4)


def test_probabilistic_classify_and_count_is_the_mean_probability_with_a_poisson_binomial_interval() -> None:
    aggregate = ShareAggregate.of([0.9, 0.8, 0.2, 0.1])
    estimate = aggregate.estimate("pcc")
    # mean 0.5; sum p(1 - p) = 0.09 + 0.16 + 0.16 + 0.09 = 0.5; half width 1.96 * sqrt(0.5) / 4 = 0.34648
    assert estimate.value == pytest.approx(0.5, abs=1e-9)
    assert (estimate.low, estimate.high) == pytest.approx((0.5 - 0.346476, 0.5 + 0.346476), abs=1e-6)
    assert estimate == probabilistic_classify_and_count(aggregate.sum_p, aggregate.sum_pq, 4)


def test_adjusted_count_corrects_by_the_rates() -> None:
    # 7 of 10 labelled positive, tpr 0.9, fpr 0.1: (0.7 - 0.1) / 0.8 = 0.75; the labels' variance is
    # 0.9 * 0.1 = 0.09 in both classes, so the score interval is 0.75 +- 1.96 * 0.3 / sqrt(10) / 0.8
    estimate = adjusted_count(7, 10, EVEN)
    half = Z * 0.3 / math.sqrt(10) / 0.8
    assert estimate.value == pytest.approx(0.75)
    assert (estimate.low, estimate.high) == pytest.approx((0.75 - half, 0.75 + half), abs=1e-9)


def test_probabilistic_adjusted_count_corrects_by_the_class_means() -> None:
    # mean probability 0.64: (0.64 - 0.15) / 0.7 = 0.7; interval 0.7 +- 1.96 * sqrt(0.03 / 10) / 0.7
    estimate = probabilistic_adjusted_count(6.4, 10, EVEN)
    half = Z * math.sqrt(0.003) / 0.7
    assert estimate.value == pytest.approx(0.7)
    assert (estimate.low, estimate.high) == pytest.approx((0.7 - half, 0.7 + half), abs=1e-9)


def _brute_score_interval(observed: float, lo: float, hi: float, v_lo: float, v_hi: float, n: int, c_lo: float, c_hi: float) -> tuple[float, float]:  # fmt: skip
    """The shares on a fine grid that the score test keeps; none: the clipped estimate alone."""
    shares = np.linspace(0.0, 1.0, 200_001)
    variance = (shares * v_hi + (1 - shares) * v_lo) / n + shares**2 * c_hi + (1 - shares) ** 2 * c_lo
    inside = shares[(observed - lo - shares * (hi - lo)) ** 2 <= Z * Z * variance]
    if len(inside) == 0:
        value = min(max((observed - lo) / (hi - lo), 0.0), 1.0)
        return value, value
    return float(inside.min()), float(inside.max())


@pytest.mark.parametrize(("positive", "n"), [(3, 12), (9, 20), (40, 50), (1, 15), (2, 15)])
def test_adjusted_intervals_allow_for_the_rates_own_error(positive: int, n: int) -> None:
    rates = Rates(0.85, 0.12, 0.8, 0.2, 0.04, 0.05, n_positive=200, n_negative=150)
    estimate = adjusted_count(positive, n, rates)
    expected = _brute_score_interval(positive / n, 0.12, 0.85, 0.12 * 0.88, 0.85 * 0.15, n, 0.12 * 0.88 / 150, 0.85 * 0.15 / 200)  # fmt: skip
    assert (estimate.low, estimate.high) == pytest.approx(expected, abs=1e-5)
    exact = adjusted_count(positive, n, Rates(0.85, 0.12, 0.8, 0.2, 0.04, 0.05))
    assert exact.width <= estimate.width  # rates taken as exact: narrower
    probabilistic = probabilistic_adjusted_count(positive * 0.9, n, rates)  # mean p: 0.9 x the labelled share
    expected = _brute_score_interval(positive / n * 0.9, 0.2, 0.8, 0.05, 0.04, n, 0.05 / 150, 0.04 / 200)
    assert (probabilistic.low, probabilistic.high) == pytest.approx(expected, abs=1e-5)


def _em(p: list[float], prior: float = 0.5) -> float:
    """Saerens, Latinne & Decaestecker's EM, written out: re-weight, average, until it stops moving."""
    probabilities, share = np.array(p), prior
    for _ in range(100_000):
        weighted = share / prior * probabilities
        new = float(np.mean(weighted / (weighted + (1 - share) / (1 - prior) * (1 - probabilities))))
        if abs(new - share) < 1e-13:
            break
        share = new
    return share


@pytest.mark.parametrize(
    "probabilities",
    [[0.9, 0.8, 0.3, 0.2], [0.6, 0.7, 0.1, 0.2, 0.3], [0.95, 0.4, 0.45, 0.3, 0.2, 0.15, 0.9], [0.7, 0.3, 0.6, 0.2]],
)
def test_sld_is_the_fixed_point_of_em(probabilities: list[float]) -> None:
    assert maximum_likelihood_share(probabilities).value == pytest.approx(_em(probabilities), abs=1e-9)


def test_sld_reweights_from_the_training_prior() -> None:
    probabilities = [0.8, 0.7, 0.3, 0.6, 0.1]
    assert maximum_likelihood_share(probabilities, training_prior=0.3).value == pytest.approx(
        _em(probabilities, 0.3), abs=1e-9
    )


def test_sld_known_answers_at_the_ends_and_in_the_middle() -> None:
    assert maximum_likelihood_share([0.8, 0.2]).value == pytest.approx(0.5)  # symmetric
    assert maximum_likelihood_share([0.99, 0.97, 0.9]).value == 1.0  # the likelihood is greatest at 1
    assert maximum_likelihood_share([0.01, 0.2, 0.1]).value == 0.0
    flat = maximum_likelihood_share([0.5] * 10)  # no review says anything: the prior, and no knowledge
    assert (flat.value, flat.low, flat.high) == (0.5, 0.0, 1.0)


def test_sld_interval_of_clear_reviews_is_narrow_and_ends_at_whole_counts() -> None:
    clear = maximum_likelihood_share([0.999] * 18 + [0.002] * 2)
    assert clear.value == pytest.approx(0.9, abs=0.01)
    assert 0.7 <= clear.low <= 0.9 <= clear.high <= 1.0
    assert (clear.low * 20).is_integer() and ((clear.high * 20).is_integer() or clear.high == clear.value)
    unanimous = maximum_likelihood_share([0.999] * 30)
    assert unanimous.value == 1.0 and unanimous.high == 1.0 and unanimous.low >= 0.9


def test_sld_from_a_histogram_is_the_sld_of_its_reviews() -> None:
    assert maximum_likelihood_share([0.9, 0.2], counts=[3, 1]) == maximum_likelihood_share([0.9, 0.9, 0.9, 0.2])


def test_the_aggregates_binned_sld_matches_sld_of_every_probability() -> None:
    rng = np.random.default_rng(7)
    for size, share in ((15, 0.8), (40, 0.3), (400, 0.55)):
        truth = rng.random(size) < share
        p = 1 / (1 + np.exp(-rng.normal(np.where(truth, 2.0, -2.0), 2.0)))
        binned, exact = ShareAggregate.of(p).estimate("sld"), maximum_likelihood_share(p)
        assert binned.value == pytest.approx(exact.value, abs=1e-3)
        assert binned.low == pytest.approx(exact.low, abs=1.5 / size) and binned.high == pytest.approx(
            exact.high, abs=1.5 / size
        )


def test_rates_are_measured_on_labelled_reviews() -> None:
    rates = Rates.measure([0.9, 0.7, 0.4, 0.2, 0.6], [True, True, True, False, False], source="five")
    assert (rates.tpr, rates.fpr) == pytest.approx((2 / 3, 0.5))
    assert (rates.mean_p_positive, rates.mean_p_negative) == pytest.approx((2 / 3, 0.4))
    assert rates.var_p_positive == pytest.approx(np.var([0.9, 0.7, 0.4]))
    assert (rates.n_positive, rates.n_negative, rates.source) == (3, 2, "five")
    given_labels = Rates.measure([0.9, 0.7, 0.4, 0.2, 0.6], [True, True, True, False, False], [1, 1, 1, 0, 0])
    assert (given_labels.tpr, given_labels.fpr) == (1.0, 0.0)


def test_every_method_of_an_aggregate_at_once() -> None:
    aggregate = ShareAggregate.of([0.9, 0.8, 0.3, 0.2, 0.6], [True, True, False, False, True])
    assert list(aggregate.estimates(EVEN)) == list(METHODS)
    assert list(aggregate.estimates()) == ["cc", "pcc", "sld"]
    assert aggregate.estimates(EVEN)["acc"] == adjusted_count(3, 5, EVEN)


# --- clipping -----------------------------------------------------------------------------


def test_adjusted_estimates_and_intervals_are_clipped_to_0_and_1() -> None:
    above = adjusted_count(20, 20, EVEN)  # (1 - 0.1) / 0.8 = 1.125
    below = adjusted_count(0, 20, EVEN)  # -0.125
    assert (above.value, above.high) == (1.0, 1.0) and 0.0 < above.low < 1.0
    assert (below.value, below.low) == (0.0, 0.0) and 0.0 < below.high < 1.0
    beyond = probabilistic_adjusted_count(0.99 * 200, 200, EVEN)  # far past what any share explains
    assert (beyond.value, beyond.low, beyond.high) == (1.0, 1.0, 1.0)


def test_every_interval_lies_in_0_1_and_holds_its_estimate() -> None:
    rng = np.random.default_rng(3)
    for _ in range(60):
        size = int(rng.integers(1, 40))
        p = rng.beta(0.3, 0.3, size) if rng.random() < 0.5 else rng.random(size)
        for estimate in ShareAggregate.of(p).estimates(EVEN).values():
            assert 0.0 <= estimate.low <= estimate.value <= estimate.high <= 1.0, estimate
    assert ShareAggregate.of([0.999] * 3).estimate("pcc").high == 1.0
    assert ShareAggregate.of([0.001] * 3).estimate("pcc").low == 0.0


# --- the interval's coverage where its assumptions hold -----------------------------------


def test_intervals_cover_about_95_percent_of_simulated_films() -> None:
    """Reviews whose scores are normal around +-1 per class: P(positive) = sigmoid(2 x) is calibrated at 0.5."""
    rng = np.random.default_rng(11)
    held_out = rng.random(4000) < 0.5
    x = rng.normal(np.where(held_out, 1.0, -1.0), 1.0)
    rates = Rates.measure(1 / (1 + np.exp(-2 * x)), held_out)
    covered = {method: 0 for method in METHODS}
    films = 300
    for _ in range(films):
        size, share = int(rng.integers(10, 40)), rng.choice([0.05, 0.3, 0.5, 0.8, 0.95])
        truth = rng.random(size) < share
        p = 1 / (1 + np.exp(-2 * rng.normal(np.where(truth, 1.0, -1.0), 1.0)))
        for method, estimate in ShareAggregate.of(p).estimates(rates).items():
            covered[method] += estimate.low - 1e-12 <= truth.mean() <= estimate.high + 1e-12
    for method in ("acc", "pacc", "sld"):
        assert 0.9 <= covered[method] / films <= 0.995, (method, covered)


# --- the incremental form ---------------------------------------------------------------------

probabilities = st.lists(st.floats(min_value=0.0, max_value=1.0, allow_nan=False), min_size=0, max_size=60)


@settings(max_examples=200, deadline=None)
@given(probabilities, st.data())
def test_merging_partial_aggregates_equals_aggregating_all_rows_at_once(p: list[float], data: st.DataObject) -> None:
    labels = data.draw(st.lists(st.booleans(), min_size=len(p), max_size=len(p)))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(p)), max_size=4)))
    bounds = [0, *cuts, len(p)]
    parts = [ShareAggregate.of(p[a:b], labels[a:b]) for a, b in zip(bounds, bounds[1:])]
    whole = ShareAggregate.of(p, labels)
    order = data.draw(st.permutations(range(len(parts))))
    assert merge_all(parts[i] for i in order) == whole
    assert parts[0].merge(merge_all(parts[1:])) == merge_all(parts[:-1]).merge(parts[-1]) == whole
    incremental = ShareAggregate()
    for a, b in zip(bounds, bounds[1:]):
        incremental = incremental.add(p[a:b], labels[a:b])
    assert incremental == whole
    if p:
        assert whole.estimates(EVEN) == merge_all(reversed(parts)).estimates(EVEN)


def test_the_aggregate_keeps_exact_integer_sums_in_constant_space() -> None:
    rng = np.random.default_rng(5)
    p = rng.random(100_000)
    aggregate = ShareAggregate.of(p)
    assert aggregate.n == 100_000 and len(aggregate.bins) <= 256
    assert aggregate.sum_p == pytest.approx(p.sum(), abs=1e-5)
    assert aggregate.sum_pq == pytest.approx((p * (1 - p)).sum(), abs=1e-5)
    assert all(isinstance(v, int) for row in aggregate.bins for v in row)
    assert ShareAggregate.from_dict(aggregate.to_dict()) == aggregate
    assert aggregate.add([]) is aggregate


def test_probabilities_of_exactly_0_and_1_are_kept() -> None:
    aggregate = ShareAggregate.of([0.0, 1.0, 1.0])
    assert (aggregate.positive, aggregate.sum_p, aggregate.sum_pq) == (2, 2.0, 0.0)
    estimate = aggregate.estimate("sld")
    assert estimate.value == pytest.approx(2 / 3, abs=1e-6) and estimate.low <= 2 / 3 <= estimate.high


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ShareAggregate().estimate(), "no reviews to estimate a share from"),
        (lambda: classify_and_count(0, 0), "no reviews to estimate a share from"),
        (lambda: probabilistic_classify_and_count(0.0, 0.0, 0), "no reviews to estimate a share from"),
        (lambda: maximum_likelihood_share([]), "no reviews to estimate a share from"),
        (lambda: ShareAggregate.of([0.2, 1.5]), "probability 1 is 1.5, not a number from 0 to 1"),
        (lambda: ShareAggregate.of([-0.1]), "probability 0 is -0.1"),
        (lambda: ShareAggregate.of([0.3, float("nan")]), "probability 1 is nan"),
        (lambda: ShareAggregate.of(["high"]), "probabilities must be numbers"),  # type: ignore[list-item]
        (lambda: ShareAggregate.of([[0.2]]), "flat list"),  # type: ignore[list-item]
        (lambda: ShareAggregate.of([0.2, 0.3], [True]), "1 labels for 2 probabilities"),
        (lambda: ShareAggregate.of([0.2], ["positive"]), "labels must be True/False"),  # type: ignore[list-item]
        (lambda: Rates(0.5, 0.5, 0.8, 0.2), "true positive rate (0.5) must be above the false positive rate (0.5)"),
        (lambda: Rates(0.3, 0.6, 0.8, 0.2), "must be above the false positive rate"),
        (lambda: Rates(0.9, 0.1, 0.4, 0.6), "mean probability of positive reviews"),
        (lambda: Rates(1.2, 0.1, 0.8, 0.2), "tpr must be a number from 0 to 1"),
        (lambda: Rates(0.9, 0.1, 0.8, 0.2, var_p_positive=0.3), "var_p_positive"),
        (lambda: Rates(0.9, 0.1, 0.8, 0.2, n_positive=-1), "n_positive must be a count"),
        (lambda: Rates.measure([0.9, 0.8], [True, True]), "both positive and negative"),
        (lambda: ShareAggregate.of([0.9]).estimate("acc"), "acc needs the classifier's rates"),
        (lambda: ShareAggregate.of([0.9]).estimate("median"), "unknown share method 'median'"),
        (lambda: classify_and_count(5, 4), "5 positive reviews out of 4 is not a count"),
        (lambda: maximum_likelihood_share([0.9], training_prior=1.0), "training prior must be between 0 and 1"),
        (lambda: maximum_likelihood_share([0.9], counts=[-1]), "counts must be whole numbers"),
        (lambda: ShareAggregate.from_dict({"n": 1}), "not a share aggregate"),
        (lambda: ShareAggregate().merge([0.5]), "merges with another"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_is_refused_with_one_line(call: object, message: str) -> None:
    with pytest.raises(ThumbsError) as caught:
        call()  # type: ignore[operator]
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
