"""Subjectivity extraction by minimum cut (Pang & Lee 2004, section 2.2), solved by max-flow.

The subjective sentences of a review are the source side of a minimum s-t cut:
each sentence pays its subjectivity to be called objective and the rest to be
called subjective, and sentences at most ``threshold`` apart pay their
association to be split. :class:`MinCutExtractor` builds that network with the
integer capacities of :mod:`thumbs.pipeline.extract` and solves it with
:func:`scipy.sparse.csgraph.maximum_flow`; among several minimal cuts it keeps
the smallest extract. The reproduction (``thumbs evaluate``) uses it; analyzing a
review uses the same cut found by dynamic programming. docs/architecture.md
gives the objective and why the two agree. Arrays only: it knows nothing of text.

Example:

>>> import numpy as np
>>> MinCutExtractor(strength=0.0).extract(np.array([0.9, 0.1, 0.9])).tolist()
[True, False, True]
>>> MinCutExtractor(threshold=1, decay="const", strength=1.0).extract(
...     np.array([0.9, 0.1, 0.9])).tolist()
[True, True, True]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from thumbs.pipeline.extract import (
    CAPACITY_SCALE,
    DECAYS,
    Decay,
    association_capacity,
    check_probabilities,
)

__all__ = [
    "CAPACITY_SCALE",
    "DECAYS",
    "Decay",
    "MinCutExtractor",
    "MinCutResult",
    "first_n",
    "last_n",
    "most_subjective",
]

_INT32_MAX: Final[int] = int(np.iinfo(np.int32).max)


@dataclass(frozen=True)
class _Layout:
    """Edge layout of the flow network for one document length (cached).

    The capacity matrix is CSR with rows sorted by (tail, head); ``keys`` is
    ``tail * n_nodes + head`` per entry (ascending), ``sub_pos``/``obj_pos``
    the entries of the edges ``s -> i``/``i -> t`` for sentence ``i``, and
    ``base`` the capacities with the association edges filled in.
    """

    n_nodes: int
    indptr: NDArray[np.int32]
    indices: NDArray[np.int32]
    keys: NDArray[np.int64]
    sub_pos: NDArray[np.intp]
    obj_pos: NDArray[np.intp]
    base: NDArray[np.int32]
    assoc_src: NDArray[np.intp]
    assoc_dst: NDArray[np.intp]
    assoc_cap: NDArray[np.int64]


@lru_cache(maxsize=512)
def _layout(n: int, threshold: int, decay: str, strength: float) -> _Layout:
    """Build (once per document length and parameters) the network layout.

    Association edges join every pair at distance 1..threshold in both
    directions, with capacity ``rint(strength * f(d) * CAPACITY_SCALE)``;
    pairs whose rounded capacity is 0 are left out. Source and sink edges
    are always present (possibly with capacity 0).
    """
    n_nodes = n + 2
    source, sink = n, n + 1
    distances = range(1, min(threshold, n - 1) + 1)
    src_parts: list[NDArray[np.intp]] = []
    dst_parts: list[NDArray[np.intp]] = []
    cap_parts: list[NDArray[np.int64]] = []
    for d in distances:
        weight = association_capacity(d, decay, strength)
        if weight <= 0:
            continue
        i = np.arange(n - d)
        src_parts += [i, i + d]
        dst_parts += [i + d, i]
        cap_parts += [np.full(n - d, weight, dtype=np.int64)] * 2
    assoc_src = np.concatenate(src_parts) if src_parts else np.empty(0, dtype=np.intp)
    assoc_dst = np.concatenate(dst_parts) if dst_parts else np.empty(0, dtype=np.intp)
    assoc_cap = np.concatenate(cap_parts) if cap_parts else np.empty(0, dtype=np.int64)
    nodes = np.arange(n)
    tails = np.concatenate([np.full(n, source), nodes, assoc_src])
    heads = np.concatenate([nodes, np.full(n, sink), assoc_dst])
    keys = tails.astype(np.int64) * n_nodes + heads
    order = np.argsort(keys, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    base = np.zeros(order.size, dtype=np.int32)
    base[rank[2 * n :]] = assoc_cap
    indptr = np.zeros(n_nodes + 1, dtype=np.int32)
    np.cumsum(np.bincount(tails, minlength=n_nodes), out=indptr[1:])
    layout = _Layout(
        n_nodes=n_nodes,
        indptr=indptr,
        indices=heads[order].astype(np.int32),
        keys=keys[order],
        sub_pos=rank[:n],
        obj_pos=rank[n : 2 * n],
        base=base,
        assoc_src=assoc_src,
        assoc_dst=assoc_dst,
        assoc_cap=assoc_cap,
    )
    for arr in (
        layout.indptr,
        layout.indices,
        layout.keys,
        layout.sub_pos,
        layout.obj_pos,
        layout.base,
        layout.assoc_src,
        layout.assoc_dst,
        layout.assoc_cap,
    ):
        arr.setflags(write=False)
    return layout


@dataclass(frozen=True)
class MinCutResult:
    """The outcome of one minimum cut.

    ``subjective``: bool mask, True for sentences on the source (subjective)
    side. ``scaled_cut_value``: the max-flow value in integer capacity units,
    equal to the summed scaled capacities of the cut edges.
    ``cut_value``: the same in probability units (``scaled / CAPACITY_SCALE``).
    """

    subjective: NDArray[np.bool_]
    cut_value: float
    scaled_cut_value: int


class MinCutExtractor:
    """Pick a review's subjective sentences with a minimum s-t cut.

    Parameters
    ----------
    threshold:
        ``T``, the largest sentence distance that gets an association edge
        (0 disables association).
    decay:
        ``"const"``, ``"exp"`` or ``"inv_square"``: how association falls off
        with distance ``d`` (1, ``e^(1-d)``, ``1/d^2``).
    strength:
        ``c``, the association scale: ``assoc(i, k) = c * f(|i - k|)``.

    Like scikit-learn estimators it only stores its parameters; they are
    checked when used.

    Example:

    >>> import numpy as np
    >>> extractor = MinCutExtractor(threshold=3, decay="exp", strength=0.2)
    >>> result = extractor.cut(np.array([0.8, 0.6, 0.2, 0.1]))
    >>> result.subjective.tolist(), result.cut_value
    ([True, True, False, False], 1.2743)
    >>> extractor.partition_cost([0.8, 0.6, 0.2, 0.1], result.subjective) == result.cut_value
    True
    """

    def __init__(self, threshold: int = 3, decay: Decay = "exp", strength: float = 0.5) -> None:
        self.threshold = threshold
        self.decay = decay
        self.strength = strength

    def __repr__(self) -> str:
        return f"{type(self).__name__}(threshold={self.threshold!r}, decay={self.decay!r}, strength={self.strength!r})"

    def _layout(self, n: int) -> _Layout:
        threshold = int(self.threshold)
        if threshold != self.threshold or threshold < 0:
            raise ValueError(f"threshold must be a non-negative integer, got {self.threshold!r}")
        strength = float(self.strength)
        if not (np.isfinite(strength) and strength >= 0.0):
            raise ValueError(f"strength must be a finite number >= 0, got {self.strength!r}")
        if self.decay not in DECAYS:
            raise ValueError(f"decay must be one of {sorted(DECAYS)}, got {self.decay!r}")
        layout = _layout(n, threshold, str(self.decay), strength)
        if int(layout.base.sum(dtype=np.int64)) + n * CAPACITY_SCALE > _INT32_MAX:
            raise ValueError("capacities overflow int32; lower strength or threshold")
        return layout

    def association_matrix(self, n_sentences: int) -> NDArray[np.float64]:
        """Dense ``(n, n)`` matrix of ``assoc(i, k)`` as used (after rounding).

        >>> MinCutExtractor(threshold=2, decay="const", strength=0.5).association_matrix(3)
        array([[0. , 0.5, 0.5],
               [0.5, 0. , 0.5],
               [0.5, 0.5, 0. ]])
        """
        n = _check_n(n_sentences, "n_sentences")
        layout = self._layout(n)
        out = np.zeros((n, n), dtype=np.float64)
        out[layout.assoc_src, layout.assoc_dst] = layout.assoc_cap / CAPACITY_SCALE
        return out

    def _network(self, p: NDArray[np.float64]) -> tuple[_Layout, sp.csr_matrix]:
        layout = self._layout(p.size)
        ind_sub = np.rint(p * CAPACITY_SCALE).astype(np.int32)
        data = layout.base.copy()
        data[layout.sub_pos] = ind_sub
        data[layout.obj_pos] = CAPACITY_SCALE - ind_sub
        shape = (layout.n_nodes, layout.n_nodes)
        # Copies: scipy wants writable index arrays and the layout is shared.
        matrix = sp.csr_matrix((data, layout.indices.copy(), layout.indptr.copy()), shape=shape)
        return layout, matrix

    def graph(self, sub_prob: ArrayLike) -> sp.csr_matrix:
        """The flow network as an ``(n + 2, n + 2)`` int32 CSR capacity matrix.

        Nodes ``0..n-1`` are the sentences, ``n`` is the source and ``n + 1``
        the sink; capacities are scaled by :data:`CAPACITY_SCALE`. Source and
        sink edges are stored even when their capacity is 0.
        """
        return self._network(check_probabilities(sub_prob))[1]

    def cut(self, sub_prob: ArrayLike) -> MinCutResult:
        """Solve the minimum cut for one document's sentence probabilities."""
        p = check_probabilities(sub_prob)
        n = p.size
        if n == 0:
            return MinCutResult(np.zeros(0, dtype=bool), 0.0, 0)
        layout, capacity = self._network(p)
        source, sink = n, n + 1
        result = maximum_flow(capacity, source, sink)
        # Residual capacity cap(u, v) - flow(u, v) on the flow matrix's entries
        # (which include the reverse arcs, where cap is 0 and flow negative).
        flow = result.flow.tocsr()
        tails = np.repeat(np.arange(layout.n_nodes), np.diff(flow.indptr))
        keys = tails.astype(np.int64) * layout.n_nodes + flow.indices
        pos = np.minimum(np.searchsorted(layout.keys, keys), layout.keys.size - 1)
        cap = np.where(layout.keys[pos] == keys, capacity.data[pos], 0)
        open_arc = cap > flow.data
        residual = sp.csr_matrix(
            (
                np.ones(int(open_arc.sum()), dtype=np.int8),
                flow.indices[open_arc],
                np.concatenate([[0], np.cumsum(np.bincount(tails[open_arc], minlength=layout.n_nodes))]),
            ),
            shape=capacity.shape,
        )
        reached = breadth_first_order(residual, source, directed=True, return_predecessors=False)
        subjective = np.zeros(n, dtype=bool)
        subjective[reached[reached < n]] = True
        value = int(result.flow_value)
        return MinCutResult(subjective, value / CAPACITY_SCALE, value)

    def extract(self, sub_prob: ArrayLike) -> NDArray[np.bool_]:
        """Bool mask of the sentences in the subjective extract."""
        return self.cut(sub_prob).subjective

    def partition_cost(self, sub_prob: ArrayLike, subjective: ArrayLike) -> float:
        """Pang & Lee's objective for any partition (``subjective`` = C1 mask).

        Computed on the same rounded capacities as :meth:`cut`, so for the
        mask :meth:`cut` returns it equals ``cut_value`` exactly and no other
        mask scores lower.
        """
        p = check_probabilities(sub_prob)
        mask = np.asarray(subjective, dtype=bool)
        if mask.shape != p.shape:
            raise ValueError(f"mask shape {mask.shape} does not match sub_prob shape {p.shape}")
        layout = self._layout(p.size)
        ind_sub = np.rint(p * CAPACITY_SCALE).astype(np.int64)
        ind_obj = CAPACITY_SCALE - ind_sub
        total = int(ind_obj[mask].sum()) + int(ind_sub[~mask].sum())
        crossing = mask[layout.assoc_src] & ~mask[layout.assoc_dst]
        total += int(layout.assoc_cap[crossing].sum())
        return total / CAPACITY_SCALE


def _check_n(n: int, name: str = "n") -> int:
    value = int(n)
    if value != n or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {n!r}")
    return value


def most_subjective(sub_prob: ArrayLike, n: int) -> NDArray[np.bool_]:
    """Mask of the ``n`` sentences with the highest subjectivity probability.

    Ties go to the earlier sentence; ``n`` larger than the document keeps all.

    >>> most_subjective([0.2, 0.9, 0.5, 0.9], 2).tolist()
    [False, True, False, True]
    """
    p = check_probabilities(sub_prob)
    k = _check_n(n)
    mask = np.zeros(p.size, dtype=bool)
    mask[np.argsort(-p, kind="stable")[:k]] = True
    return mask


def first_n(n_sentences: int, n: int) -> NDArray[np.bool_]:
    """Mask of the first ``n`` of ``n_sentences`` sentences.

    >>> first_n(4, 2).tolist()
    [True, True, False, False]
    """
    total = _check_n(n_sentences, "n_sentences")
    return np.arange(total) < _check_n(n)


def last_n(n_sentences: int, n: int) -> NDArray[np.bool_]:
    """Mask of the last ``n`` of ``n_sentences`` sentences (the paper's best
    position baseline: reviews tend to end with the verdict).

    >>> last_n(4, 3).tolist()
    [False, True, True, True]
    """
    total = _check_n(n_sentences, "n_sentences")
    return np.arange(total) >= total - _check_n(n)
