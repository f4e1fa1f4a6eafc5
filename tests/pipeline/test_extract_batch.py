"""The batched minimum cut (:func:`banded_min_cuts`) gives every review the cut :func:`banded_min_cut` gives it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from thumbs.pipeline.extract import CutSettings, banded_min_cut, banded_min_cuts

#: Probabilities on a coarse grid too, so that ties (equal costs) are common.
PROBABILITY = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(PROBABILITY, max_size=20), max_size=12),
    st.integers(0, 4),
    st.sampled_from(["const", "exp", "inv_square"]),
    st.sampled_from([0.0, 0.1, 0.5, 1.0, 3.0]),
)
def test_batched_cut_equals_one_review_at_a_time(
    reviews: list[list[float]], threshold: int, decay: str, strength: float
) -> None:
    cut = CutSettings(threshold, decay, strength)  # type: ignore[arg-type]
    got = banded_min_cuts([np.array(p) for p in reviews], cut)
    assert [mask.tolist() for mask in got] == [banded_min_cut(np.array(p), cut).tolist() for p in reviews]


def test_a_batch_of_no_reviews_and_of_empty_reviews() -> None:
    assert banded_min_cuts([]) == []
    assert [m.tolist() for m in banded_min_cuts([np.zeros(0), np.array([0.9])])] == [[], [True]]


def test_one_long_review_is_cut_apart_from_a_batch_of_short_ones() -> None:
    """A run's longest review is at most twice its shortest: one long review never sets the pace of a batch."""
    from thumbs.pipeline.extract import LENGTH_RATIO, _runs_of_like_length

    lengths = [5, 6, 30_000, 7, 12, 4, 9]
    runs = _runs_of_like_length(list(range(len(lengths))), lengths)
    assert sorted(k for run in runs for k in run) == list(range(len(lengths)))
    for run in runs:
        assert max(lengths[k] for k in run) <= LENGTH_RATIO * min(lengths[k] for k in run)
    assert [2] in runs
    reviews = [np.full(n, 0.7) for n in lengths]
    assert [m.tolist() for m in banded_min_cuts(reviews)] == [banded_min_cut(p).tolist() for p in reviews]
