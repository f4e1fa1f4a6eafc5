"""Tests for the minimum-cut subjectivity extractor (Pang & Lee 2004)."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable

import numpy as np
import pytest
from scipy.sparse.csgraph import maximum_flow

from thumbs.learn.mincut import CAPACITY_SCALE, Decay, MinCutExtractor, first_n, last_n, most_subjective

DECAYS: list[Decay] = ["const", "exp", "inv_square"]


def brute_force_min_cost(extractor: MinCutExtractor, p: np.ndarray) -> float:
    """Smallest partition cost over all 2^n subjective/objective splits."""
    return min(
        extractor.partition_cost(p, np.array(bits, dtype=bool))
        for bits in itertools.product([False, True], repeat=p.size)
    )


# ------------------------------------------------------------ hand-made cuts


def test_strong_association_pulls_middle_sentence_in() -> None:
    p = np.array([0.9, 0.1, 0.9])
    result = MinCutExtractor(threshold=1, decay="const", strength=1.0).cut(p)
    assert result.subjective.tolist() == [True, True, True]
    # all subjective: the cut edges are the three i -> t edges, 0.1 + 0.9 + 0.1
    assert result.cut_value == pytest.approx(1.1)
    assert result.scaled_cut_value == 11_000


def test_strong_association_pushes_lone_sentence_out() -> None:
    p = np.array([0.1, 0.6, 0.1])
    result = MinCutExtractor(threshold=2, decay="const", strength=1.0).cut(p)
    assert result.subjective.tolist() == [False, False, False]
    assert result.cut_value == pytest.approx(0.1 + 0.6 + 0.1)


def test_weak_association_keeps_individual_decisions() -> None:
    p = np.array([0.9, 0.1, 0.9])
    result = MinCutExtractor(threshold=1, decay="const", strength=0.1).cut(p)
    assert result.subjective.tolist() == [True, False, True]
    # ind_obj(0) + ind_obj(2) + ind_sub(1) plus the association edges 0->1, 2->1
    assert result.cut_value == pytest.approx(0.1 + 0.1 + 0.1 + 0.1 + 0.1)


@pytest.mark.parametrize(
    "extractor",
    [
        MinCutExtractor(strength=0.0),
        MinCutExtractor(threshold=0, strength=5.0),
    ],
)
def test_no_association_is_thresholding(extractor: MinCutExtractor) -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        p = rng.random(rng.integers(1, 40))
        result = extractor.cut(p)
        assert np.array_equal(result.subjective, p > 0.5)
        assert result.cut_value == pytest.approx(np.minimum(p, 1 - p).sum(), abs=p.size / CAPACITY_SCALE)


def test_ties_go_to_the_objective_side() -> None:
    assert MinCutExtractor(strength=0.0).extract([0.5, 0.5]).tolist() == [False, False]
    assert MinCutExtractor(strength=0.0).extract([1.0, 0.0]).tolist() == [True, False]


def test_empty_and_single_sentence_documents() -> None:
    extractor = MinCutExtractor()
    empty = extractor.cut(np.array([]))
    assert empty.subjective.shape == (0,) and empty.subjective.dtype == bool
    assert empty.cut_value == 0.0
    assert extractor.extract([0.7]).tolist() == [True]
    assert extractor.extract([0.3]).tolist() == [False]


def test_result_is_a_bool_mask() -> None:
    mask = MinCutExtractor().extract(np.random.default_rng(1).random(35))
    assert mask.dtype == bool and mask.shape == (35,)


# ---------------------------------------------- max flow == min cut, exactly


@pytest.mark.parametrize("decay", DECAYS)
def test_cut_value_equals_max_flow_and_brute_force(decay: Decay) -> None:
    rng = np.random.default_rng(sum(map(ord, decay)))
    for case in range(120):
        n = int(rng.integers(1, 11))
        p = rng.random(n)
        p[rng.random(n) < 0.1] = rng.choice([0.0, 0.5, 1.0])
        extractor = MinCutExtractor(
            threshold=int(rng.integers(0, 5)),
            decay=decay,
            strength=float(rng.choice([0.0, 0.1, 0.3, 0.5, 1.0, 2.0])),
        )
        result = extractor.cut(p)
        flow = maximum_flow(extractor.graph(p), n, n + 1).flow_value
        assert result.scaled_cut_value == flow
        # the returned partition achieves the max-flow value...
        assert extractor.partition_cost(p, result.subjective) == result.cut_value
        # ...and no partition does better
        assert brute_force_min_cost(extractor, p) == result.cut_value, (case, p, extractor)


def test_extract_is_the_smallest_minimum_cut() -> None:
    rng = np.random.default_rng(7)
    for _ in range(60):
        n = int(rng.integers(1, 9))
        p = np.round(rng.random(n) * 4) / 4  # many ties
        extractor = MinCutExtractor(threshold=2, decay="const", strength=0.25)
        mask = extractor.extract(p)
        best = extractor.partition_cost(p, mask)
        for bits in itertools.product([False, True], repeat=n):
            other = np.array(bits, dtype=bool)
            if extractor.partition_cost(p, other) == best:
                assert not np.any(mask & ~other)  # mask is a subset of every optimum


def test_agrees_with_networkx_minimum_cut() -> None:
    nx = pytest.importorskip("networkx")
    rng = np.random.default_rng(3)
    for _ in range(30):
        p = rng.random(int(rng.integers(2, 30)))
        extractor = MinCutExtractor(threshold=3, decay="exp", strength=0.4)
        capacity = extractor.graph(p).tocoo()
        graph = nx.DiGraph()
        for u, v, c in zip(capacity.row, capacity.col, capacity.data, strict=True):
            graph.add_edge(int(u), int(v), capacity=int(c))
        value, _ = nx.minimum_cut(graph, p.size, p.size + 1)
        assert value == extractor.cut(p).scaled_cut_value


# ----------------------------------------------------------------- the graph


def test_graph_capacities() -> None:
    p = np.array([0.25, 0.8, 0.5])
    extractor = MinCutExtractor(threshold=1, decay="const", strength=0.5)
    dense = extractor.graph(p).toarray()
    assert dense.shape == (5, 5)
    source, sink = 3, 4
    assert dense[source, :3].tolist() == [2_500, 8_000, 5_000]
    assert dense[:3, sink].tolist() == [7_500, 2_000, 5_000]
    assert dense[0, 1] == dense[1, 0] == dense[1, 2] == dense[2, 1] == 5_000
    assert dense[0, 2] == dense[2, 0] == 0
    assert dense[sink].sum() == 0 and dense[:, source].sum() == 0


@pytest.mark.parametrize(
    ("decay", "f"),
    [
        ("const", lambda d: 1.0),
        ("exp", lambda d: math.exp(1 - d)),
        ("inv_square", lambda d: 1 / d**2),
    ],
)
def test_decay_functions(decay: Decay, f: Callable[[int], float]) -> None:
    strength, threshold, n = 0.7, 3, 7
    extractor = MinCutExtractor(threshold=threshold, decay=decay, strength=strength)
    assoc = extractor.association_matrix(n)
    assert np.array_equal(assoc, assoc.T)
    for i in range(n):
        for k in range(n):
            d = abs(i - k)
            expected = strength * f(d) if 1 <= d <= threshold else 0.0
            assert assoc[i, k] == pytest.approx(expected, abs=0.5 / CAPACITY_SCALE)


def test_decay_changes_the_extract() -> None:
    # the further association reaches, the more the objective neighbours win
    p = np.array([0.3, 0.4, 1.0, 0.6, 0.3, 0.2])
    masks = {decay: MinCutExtractor(threshold=3, decay=decay, strength=0.3).extract(p).tolist() for decay in DECAYS}
    assert masks == {
        "const": [False, False, False, False, False, False],
        "exp": [False, False, True, False, False, False],
        "inv_square": [False, False, True, True, False, False],
    }
    for decay in DECAYS:
        extractor = MinCutExtractor(threshold=3, decay=decay, strength=0.3)
        assert extractor.cut(p).cut_value == brute_force_min_cost(extractor, p)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("bad", [[0.2, 1.5], [-0.1], [np.nan], [[0.2, 0.3]]])
def test_bad_probabilities_raise(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        MinCutExtractor().extract(np.array(bad))


@pytest.mark.parametrize(
    "extractor",
    [
        MinCutExtractor(decay="linear"),  # type: ignore[arg-type]
        MinCutExtractor(threshold=-1),
        MinCutExtractor(threshold=1.5),  # type: ignore[arg-type]
        MinCutExtractor(strength=-0.5),
        MinCutExtractor(strength=float("inf")),
    ],
    ids=repr,
)
def test_bad_parameters_raise(extractor: MinCutExtractor) -> None:
    with pytest.raises(ValueError):
        extractor.extract([0.2, 0.8, 0.4])


def test_partition_cost_checks_mask_shape() -> None:
    with pytest.raises(ValueError):
        MinCutExtractor().partition_cost([0.2, 0.8], [True])


# ------------------------------------------------------------------ baselines


def test_most_subjective() -> None:
    p = [0.2, 0.9, 0.5, 0.9, 0.1]
    assert most_subjective(p, 2).tolist() == [False, True, False, True, False]
    assert most_subjective(p, 3).tolist() == [False, True, True, True, False]
    assert most_subjective(p, 0).tolist() == [False] * 5
    assert most_subjective(p, 10).tolist() == [True] * 5
    # ties go to the earlier sentence
    assert most_subjective([0.5, 0.5, 0.5], 1).tolist() == [True, False, False]
    assert most_subjective([], 3).tolist() == []


def test_first_and_last_n() -> None:
    assert first_n(5, 2).tolist() == [True, True, False, False, False]
    assert last_n(5, 2).tolist() == [False, False, False, True, True]
    assert first_n(3, 10).tolist() == [True] * 3
    assert last_n(3, 10).tolist() == [True] * 3
    assert first_n(3, 0).tolist() == last_n(3, 0).tolist() == [False] * 3
    assert first_n(0, 2).shape == (0,) and last_n(0, 2).dtype == bool


@pytest.mark.parametrize(
    "call",
    [
        lambda: first_n(5, -1),
        lambda: last_n(-2, 1),
        lambda: most_subjective([0.5], -3),
        lambda: first_n(5, 1.5),  # type: ignore[arg-type]
        lambda: most_subjective([1.2], 1),
    ],
)
def test_baselines_reject_bad_arguments(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        call()


# ---------------------------------------------------------------------- speed


def test_fast_enough_for_a_corpus() -> None:
    rng = np.random.default_rng(0)
    docs = [rng.random(int(rng.integers(20, 50))) for _ in range(500)]
    extractor = MinCutExtractor()
    start = time.perf_counter()
    for p in docs:
        extractor.extract(p)
    per_doc = (time.perf_counter() - start) / len(docs)
    assert per_doc < 5e-3, f"{per_doc * 1e6:.0f} us per document"


# --- the dynamic-programming solver gives the max-flow's cut ---------------------------------


def test_banded_min_cut_equals_the_max_flow_cut() -> None:
    from thumbs.pipeline.extract import CutSettings, banded_min_cut

    rng = np.random.default_rng(7)
    for trial in range(600):
        n = int(rng.integers(1, 30))
        threshold = int(rng.choice([0, 1, 2, 3, 5]))
        decay = str(rng.choice(["const", "exp", "inv_square"]))
        strength = float(rng.choice([0.1, 0.2, 0.5, 1.0, 2.0]))
        p = rng.random(n)
        if trial % 3 == 0:
            p = np.round(p, 1)  # ties between cuts of equal cost
        extractor = MinCutExtractor(threshold=threshold, decay=decay, strength=strength)
        expected = extractor.extract(p)
        got = banded_min_cut(p, CutSettings(threshold, decay, strength))  # type: ignore[arg-type]
        assert np.array_equal(got, expected), (p.tolist(), threshold, decay, strength)
        assert extractor.partition_cost(p, got) == extractor.cut(p).cut_value
