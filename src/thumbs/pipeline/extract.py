"""The ``extract`` component: Pang & Lee's (2004) minimum cut keeps a review's subjective sentences.

Each sentence pays ``1 - p`` to be called subjective or ``p`` to be called
objective (``p`` its P(opinion)), and each pair of sentences at most ``T``
apart pays ``strength * f(distance)`` to be split. The cheapest labelling is the
extract. The reproduction (:class:`thumbs.learn.mincut.MinCutExtractor`) finds
it with a max-flow; the analysis finds the same cut by dynamic programming over
the chain of sentences (:func:`banded_min_cut`), tens of microseconds a review
instead of a millisecond. Both use this module's integer capacities and
tie-breaking; docs/architecture.md derives why they agree.

>>> banded_min_cut([0.8, 0.6, 0.2, 0.1], CutSettings(threshold=3, decay="exp", strength=0.2)).tolist()
[True, True, False, False]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, ClassVar, Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thumbs.pipeline.component import BaseComponent, Reviews

#: Factor that turns real-valued capacities into integers (max-flow needs them): probabilities
#: are resolved to 1e-4.
CAPACITY_SCALE: Final[int] = 10_000

Decay = Literal["const", "exp", "inv_square"]

#: Reviews of like length cut together by :func:`banded_min_cuts` (a run's longest at most this
#: many times its shortest), and the fewest worth a NumPy step per position: below that, one
#: review at a time in plain Python is faster (a single review of 30,000 sentences: 0.25 s against 0.5 s).
LENGTH_RATIO = 2
MIN_BATCHED_REVIEWS = 4

#: Decay functions ``f(d)`` of the distance ``d >= 1`` between two sentences (Pang & Lee 2004, section 2.2).
DECAYS: Final[dict[str, str]] = {
    "const": "f(d) = 1",
    "exp": "f(d) = e^(1 - d)",
    "inv_square": "f(d) = 1 / d^2",
}


@dataclass(frozen=True)
class CutSettings:
    """The association of the cut: distance ``threshold`` (T), ``decay`` f and ``strength`` c.

    The defaults are the default model's, chosen by nested cross-validation on polarity v2.0
    (see docs/reproduction.md).
    """

    threshold: int = 3
    decay: Decay = "exp"
    strength: float = 0.5


def decay_factor(decay: str, d: NDArray[np.float64]) -> NDArray[np.float64]:
    """``f(d)`` for the decay function named ``decay``."""
    if decay == "const":
        return np.ones_like(d)
    if decay == "exp":
        return np.exp(1.0 - d)
    if decay == "inv_square":
        return 1.0 / (d * d)
    raise ValueError(f"decay must be one of {sorted(DECAYS)}, got {decay!r}")


def association_capacity(distance: int, decay: str, strength: float) -> int:
    """The integer capacity joining two sentences ``distance`` apart: ``rint(c * f(d) * scale)``."""
    return int(np.rint(strength * float(decay_factor(decay, np.array([float(distance)]))[0]) * CAPACITY_SCALE))


def check_probabilities(sub_prob: ArrayLike) -> NDArray[np.float64]:
    """``sub_prob`` as a 1-D float array of probabilities, or a ValueError saying what is wrong."""
    p = np.asarray(sub_prob, dtype=np.float64)
    if p.ndim != 1:
        raise ValueError(f"sub_prob must be 1-D (one probability per sentence), got shape {p.shape}")
    if not np.all(np.isfinite(p)) or np.any((p < 0.0) | (p > 1.0)):
        raise ValueError("sub_prob must hold probabilities in [0, 1]")
    return p


def banded_min_cut(sub_prob: ArrayLike, settings: CutSettings = CutSettings()) -> NDArray[np.bool_]:
    """Bool mask of the subjective sentences: the minimum cut, with max-flow's tie-breaking.

    Among the labellings of least cost it returns the one with the fewest
    subjective sentences (the max-flow's minimal source side). The state is the
    last ``T`` labels: ``2**T`` states, one step per sentence.
    """
    p = check_probabilities(sub_prob)
    n = p.size
    if n == 0:
        return np.zeros(0, dtype=bool)
    window = max(0, min(int(settings.threshold), n - 1))
    weights = [association_capacity(d, settings.decay, settings.strength) for d in range(1, window + 1)]
    cost_objective = np.rint(p * CAPACITY_SCALE).astype(np.int64).tolist()  # paid when x_i = 0
    if window == 0:  # no association: each sentence on its own, subjective when strictly cheaper
        return np.array([CAPACITY_SCALE - c < c for c in cost_objective], dtype=bool)
    n_states = 1 << window
    mask = n_states - 1
    scale = n + 1  # cost * scale + count: least cost first, then fewest subjective
    infinity = float("inf")
    # state bit j holds the label of sentence i - j
    best: list[float] = [infinity] * n_states
    best[0] = cost_objective[0] * scale
    best[1] = (CAPACITY_SCALE - cost_objective[0]) * scale + 1

    def association(reach: int) -> list[list[int]]:
        """Association paid by appending each label after each state, when ``reach`` earlier sentences exist."""
        return [
            [sum(weights[d - 1] for d in range(1, reach + 1) if (state >> (d - 1)) & 1 != label) for label in (0, 1)]
            for state in range(n_states)
        ]

    full = association(window)
    back: list[list[int]] = []
    for i in range(1, n):
        table = full if i >= window else association(i)
        individual = (cost_objective[i] * scale, (CAPACITY_SCALE - cost_objective[i]) * scale + 1)
        new = [infinity] * n_states
        came = [0] * n_states
        for state, value in enumerate(best):
            if value == infinity:
                continue
            shifted = (state << 1) & mask
            paid = table[state]
            for label in (0, 1):
                total = value + individual[label] + paid[label] * scale
                target = shifted | label
                if total < new[target]:
                    new[target] = total
                    came[target] = state
        back.append(came)
        best = new
    state = int(np.argmin(best))
    labels = [0] * n
    for i in range(n - 1, -1, -1):
        labels[i] = state & 1
        if i > 0:
            state = back[i - 1][state]
    return np.array(labels, dtype=bool)


@lru_cache(maxsize=64)
def _association_tables(window: int, settings: CutSettings) -> tuple[NDArray[np.int64], ...]:
    """Per reach ``r = 0 .. window``: the association paid for appending label 0 or 1 after each state.

    Entry ``[state, label]`` sums the capacity to each of the ``r`` sentences before whose
    label (bit ``d - 1`` of the state) differs from ``label``: what :func:`banded_min_cut`
    adds up state by state, worked out once per ``(window, settings)``.
    """
    weights = np.array([association_capacity(d, settings.decay, settings.strength) for d in range(1, window + 1)])
    states = np.arange(1 << window)
    bits = (states[:, None] >> np.arange(window)[None, :]) & 1  # [state, d - 1]
    tables = []
    for reach in range(window + 1):
        near = np.arange(window) < reach
        tables.append(
            np.stack([((bits != label) & near) @ weights for label in (0, 1)], axis=1).astype(np.int64)
            if window
            else np.zeros((1, 2), dtype=np.int64)
        )
    return tuple(tables)


def banded_min_cuts(
    probabilities: Sequence[ArrayLike], settings: CutSettings = CutSettings()
) -> list[NDArray[np.bool_]]:
    """:func:`banded_min_cut` of many reviews at once: the same masks, one NumPy step per sentence position.

    Reviews are grouped by their window (``min(threshold, n - 1)``, so a short review keeps
    the state space, and so the ties, :func:`banded_min_cut` gives it) and then by length
    (:func:`_runs_of_like_length`); each run of at least :data:`MIN_BATCHED_REVIEWS` runs the
    dynamic programme over all its reviews together, the shorter ones standing still once
    they end. Each state has two possible predecessors (its oldest label dropped), the
    lower one kept on ties, as the loop over states in order keeps it.
    """
    ps = [check_probabilities(p) for p in probabilities]
    masks: list[NDArray[np.bool_]] = [np.zeros(0, dtype=bool)] * len(ps)
    groups: dict[int, list[int]] = {}
    for k, p in enumerate(ps):
        if p.size:
            groups.setdefault(max(0, min(int(settings.threshold), p.size - 1)), []).append(k)
    for window, members in groups.items():
        for run in _runs_of_like_length(members, [ps[k].size for k in members]) if window else [members]:
            if window == 0 or len(run) < MIN_BATCHED_REVIEWS:
                for k in run:
                    masks[k] = banded_min_cut(ps[k], settings)
                continue
            for k, mask in zip(run, _cut_group([ps[k] for k in run], window, settings)):
                masks[k] = mask
    return masks


def _runs_of_like_length(members: list[int], lengths: list[int]) -> list[list[int]]:
    """``members`` by length, in runs whose longest is at most twice their shortest.

    The programme steps through every position of a run's longest review for every review
    of the run, so a run costs at most twice its sentences: one long review never makes a
    whole batch pay for its length.
    """
    runs: list[list[int]] = []
    shortest = 0
    for k, n in sorted(zip(members, lengths), key=lambda pair: pair[1]):
        if not runs or n > LENGTH_RATIO * shortest:
            runs.append([])
            shortest = n
        runs[-1].append(k)
    return runs


def _cut_group(ps: list[NDArray[np.float64]], window: int, settings: CutSettings) -> list[NDArray[np.bool_]]:
    """The cuts of reviews that share one ``window`` (>= 1), by one dynamic programme over all of them."""
    lengths = np.array([p.size for p in ps])
    longest = int(lengths.max())
    cost = np.zeros((len(ps), longest))  # paid when a sentence is called objective
    for k, p in enumerate(ps):
        cost[k, : p.size] = np.rint(p * CAPACITY_SCALE)
    scale = (lengths + 1.0)[:, None]  # cost * scale + count: least cost first, then fewest subjective
    n_states = 1 << window
    targets = np.arange(n_states)
    label = targets & 1
    older = targets >> 1
    predecessors = (older, older | (1 << (window - 1)))
    tables = _association_tables(window, settings)
    best = np.full((len(ps), n_states), np.inf)
    best[:, 0] = cost[:, 0] * scale[:, 0]
    best[:, 1] = (CAPACITY_SCALE - cost[:, 0]) * scale[:, 0] + 1
    back = []
    for i in range(1, longest):
        table = tables[min(i, window)]
        individual = np.where(label == 0, cost[:, i : i + 1] * scale, (CAPACITY_SCALE - cost[:, i : i + 1]) * scale + 1)
        low = best[:, predecessors[0]] + individual + table[predecessors[0], label] * scale
        high = best[:, predecessors[1]] + individual + table[predecessors[1], label] * scale
        higher_wins = high < low
        came = np.where(higher_wins, predecessors[1], predecessors[0])
        active = (lengths > i)[:, None]
        best = np.where(active, np.where(higher_wins, high, low), best)
        back.append(came)
    state = np.argmin(best, axis=1)
    labels = np.zeros((len(ps), longest), dtype=bool)
    rows = np.arange(len(ps))
    for i in range(longest - 1, -1, -1):
        active = lengths > i
        labels[active, i] = (state[active] & 1).astype(bool)
        if i > 0:
            state = np.where(active, back[i - 1][rows, state], state)
    return [labels[k, :n] for k, n in enumerate(lengths.tolist())]


class Extract(BaseComponent):
    """Fill ``in_extract``: the sentences the minimum cut keeps, review by review."""

    name: ClassVar[str] = "extract"
    requires: ClassVar[tuple[str, ...]] = ("subjectivity",)
    adds: ClassVar[tuple[str, ...]] = ("in_extract",)
    #: The manifest key of the cut's settings (files saved by thumbs 0.1 use it too).
    MANIFEST_KEY: ClassVar[str] = "extractor"

    def __init__(self, cut: CutSettings = CutSettings()) -> None:
        self.cut = cut

    def __call__(self, reviews: Reviews) -> None:
        assert reviews.subjectivity is not None
        parts = banded_min_cuts([reviews.subjectivity[reviews.own(d)] for d in range(len(reviews.sentences))], self.cut)
        reviews.in_extract = np.concatenate(parts) if parts else np.zeros(0, dtype=bool)

    def settings(self) -> dict[str, Any]:
        return {self.MANIFEST_KEY: asdict(self.cut)}

    @classmethod
    def from_saved(cls, manifest: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Extract:
        return cls(CutSettings(**manifest[cls.MANIFEST_KEY]))
